using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Datasets;

public sealed class DatasetRowsTests
{
    private static Func<DatasetReader> Ids(int count)
    {
        var text = "id,name\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{i},user {i}\n"));
        return () => new DatasetReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "data/ids.csv", jsonl: false);
    }

    /// <summary>Takes up to <paramref name="max"/> rows' ids, stopping at the first refused read.</summary>
    private static List<int> Take(DatasetRows rows, int max)
    {
        var buffer = new DataRowBuffer(rows.Columns.Count);
        var ids = new List<int>();
        for (var i = 0; i < max && rows.TryRead(i, buffer); i++)
        {
            ids.Add(int.Parse(Encoding.UTF8.GetString(buffer.Value(0)), System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids;
    }

    [Fact]
    public void Sequential_Wrap_FileOrderThenStartsOver()
    {
        using var rows = new DatasetRows(Ids(3), new DataSpec { File = "x.csv" }, 0, 2, seed: 1);

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Take(rows, 7));
        Assert.False(rows.Exhausted);
        Assert.Equal(7, rows.RowsUsed);
    }

    [Fact]
    public void Sequential_Stop_EndsAfterTheLastRowWithAReason()
    {
        using var rows = new DatasetRows(Ids(3), new DataSpec { File = "x.csv", OnExhausted = DataExhaustion.Stop }, 0, 1, seed: 1);

        Assert.Equal([0, 1, 2], Take(rows, 10));
        Assert.True(rows.Exhausted);
        Assert.Contains("ran out after 3 row(s)", rows.ExhaustedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unique_ShardsTakeDisjointRowsCoveringTheFileAndStopByDefault()
    {
        const int Shards = 3;
        var seen = new List<int>();
        for (var shard = 0; shard < Shards; shard++)
        {
            using var rows = new DatasetRows(Ids(100), new DataSpec { File = "x.csv", Mode = DataMode.Unique }, shard, Shards, seed: 5);
            var ids = Take(rows, 1000);
            Assert.All(ids, id => Assert.Equal(shard, id % Shards));
            Assert.True(rows.Exhausted);
            seen.AddRange(ids);
        }

        Assert.Equal(Enumerable.Range(0, 100), seen.Order());
    }

    [Fact]
    public void Unique_Wrap_StartsOverWithTheShardsOwnRows()
    {
        using var rows = new DatasetRows(Ids(5), new DataSpec { File = "x.csv", Mode = DataMode.Unique, OnExhausted = DataExhaustion.Wrap }, 1, 2, seed: 5);

        Assert.Equal([1, 3, 1, 3, 1], Take(rows, 5));
    }

    [Fact]
    public void Unique_ShardWithNoRow_StopsEvenWhenAskedToWrap()
    {
        using var rows = new DatasetRows(Ids(2), new DataSpec { File = "x.csv", Mode = DataMode.Unique, OnExhausted = DataExhaustion.Wrap }, 2, 3, seed: 5);

        Assert.Empty(Take(rows, 5));
        Assert.True(rows.Exhausted);
    }

    [Fact]
    public void Random_SameSeedSameOrder_OtherSeedOtherOrder_EveryRowOncePerPass()
    {
        var spec = new DataSpec { File = "x.csv", Mode = DataMode.Random, Seed = 42, OnExhausted = DataExhaustion.Stop };
        using var a = new DatasetRows(Ids(3000), spec, 0, 1, seed: 1);
        using var b = new DatasetRows(Ids(3000), spec, 0, 1, seed: 999);
        using var c = new DatasetRows(Ids(3000), spec with { Seed = 43 }, 0, 1, seed: 1);

        var first = Take(a, 5000);
        Assert.Equal(first, Take(b, 5000));
        Assert.NotEqual(first, Take(c, 5000));
        Assert.NotEqual(Enumerable.Range(0, 3000), first);
        Assert.Equal(Enumerable.Range(0, 3000), first.Order());
    }

    [Fact]
    public void EmptyDataset_NothingToReadInAnyMode()
    {
        foreach (var mode in Enum.GetValues<DataMode>())
        {
            using var rows = new DatasetRows(Ids(0), new DataSpec { File = "x.csv", Mode = mode, OnExhausted = DataExhaustion.Wrap }, 0, 1, seed: 1);
            Assert.Empty(Take(rows, 3));
        }
    }

    [Theory]
    [InlineData(DataMode.Sequential, 1, 0, new[] { 0, 1, 2, 0, 1, 2, 0 })]
    [InlineData(DataMode.Unique, 2, 1, new[] { 1, 1, 1 })]
    [InlineData(DataMode.Unique, 2, 0, new[] { 0, 2, 0, 2 })]
    public void OpenFile_Wrap_RewindsTheFileInTheSameOrder(DataMode mode, int shards, int shard, int[] expected)
    {
        var directory = Directory.CreateTempSubdirectory("yardstick-rows-");
        try
        {
            var path = Path.Combine(directory.FullName, "ids.csv");
            File.WriteAllText(path, "id,name\n0,a\n1,b\n2,c\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            using var rows = DatasetRows.OpenFile(path, "ids.csv", new DataSpec { File = "ids.csv", Mode = mode, OnExhausted = DataExhaustion.Wrap }, shard, shards, seed: 1);

            Assert.Equal(expected, Take(rows, expected.Length));
            Assert.Equal(["id", "name"], rows.Columns);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
