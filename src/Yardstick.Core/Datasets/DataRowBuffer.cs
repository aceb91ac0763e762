namespace Yardstick.Core.Datasets;

/// <summary>
/// One data row's values (UTF-8, unescaped), in a buffer each connection owns and reuses: reading a row allocates
/// nothing once the buffer has grown to the dataset's longest row.
/// </summary>
public sealed class DataRowBuffer
{
    private byte[] _bytes;
    private readonly int[] _start;
    private readonly int[] _length;
    private int _used;

    public DataRowBuffer(int columns, int initialBytes = 512)
    {
        _bytes = new byte[Math.Max(16, initialBytes)];
        _start = new int[columns];
        _length = new int[columns];
    }

    public int Columns => _start.Length;

    /// <summary>The value of column <paramref name="column"/> (empty when the row has none).</summary>
    public ReadOnlySpan<byte> Value(int column) => _bytes.AsSpan(_start[column], _length[column]);

    /// <summary>Starts a new row: every column empty.</summary>
    public void Clear()
    {
        _used = 0;
        Array.Clear(_length);
        Array.Clear(_start);
    }

    /// <summary>Sets a column's value by copying <paramref name="value"/>.</summary>
    public void Set(int column, ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(column, value.Length));
    }

    /// <summary>Room for a column's value of exactly <paramref name="length"/> bytes, to write in place.</summary>
    public Span<byte> Reserve(int column, int length)
    {
        Ensure(length);
        _start[column] = _used;
        _length[column] = length;
        var span = _bytes.AsSpan(_used, length);
        _used += length;
        return span;
    }

    /// <summary>Shortens the value last reserved for <paramref name="column"/> (for unescaping that came out shorter).</summary>
    public void Trim(int column, int length)
    {
        var unused = _length[column] - length;
        _length[column] = length;
        if (_start[column] + length + unused == _used)
        {
            _used -= unused;
        }
    }

    private void Ensure(int more)
    {
        if (_used + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + more));
        }
    }
}

/// <summary>
/// The rows a shard's requests take their <c>${data.column}</c> values from. Thread-safe: every connection reads
/// through its own <see cref="DataRowBuffer"/>.
/// </summary>
public interface IDataRows
{
    /// <summary>The dataset's columns, in order; a hole's column index points into this list.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Reads the row for <paramref name="rowKey"/> into <paramref name="row"/>; false when the shard has no row left for
    /// it (<c>onExhausted: stop</c>).
    /// </summary>
    bool TryRead(long rowKey, DataRowBuffer row);
}
