using System.Text;
using Yardstick.Core.Datasets;

namespace Yardstick.Core.Tests.Load.Requests;

/// <summary>In-memory rows for rendering tests: row k is rows[k % count]; a key beyond <c>limit</c> is exhausted.</summary>
internal sealed class FakeRows(IReadOnlyList<string> columns, IReadOnlyList<string[]> rows, long limit = long.MaxValue) : IDataRows
{
    public IReadOnlyList<string> Columns => columns;

    public bool TryRead(long rowKey, DataRowBuffer row)
    {
        if (rowKey >= limit)
        {
            return false;
        }

        row.Clear();
        var values = rows[(int)(rowKey % rows.Count)];
        for (var i = 0; i < values.Length; i++)
        {
            row.Set(i, Encoding.UTF8.GetBytes(values[i]));
        }

        return true;
    }
}
