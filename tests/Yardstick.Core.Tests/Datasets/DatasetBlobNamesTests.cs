using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Datasets;

public sealed class DatasetBlobNamesTests
{
    [Theory]
    [InlineData("datasets/users.csv", "users.csv")]
    [InlineData("datasets/team-a/orders_2026.jsonl", "team-a/orders_2026.jsonl")]
    [InlineData("datasets/x.NDJSON", "x.NDJSON")]
    public void BlobName_InsideTheDatasetsContainer_IsThePartAfterThePrefix(string blob, string name) =>
        Assert.Equal(name, DatasetBlobNames.BlobName(blob));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("users.csv", "is not in datasets/")]
    [InlineData("yardstick-runs/w/20261206-160000-abcdef/plan.csv", "is not in datasets/")]
    [InlineData("/datasets/users.csv", "is not in datasets/")]
    [InlineData("https://attacker.blob.core.windows.net/datasets/users.csv", "is a URL")]
    [InlineData("//attacker/datasets/users.csv", "is a URL")]
    [InlineData("datasets/../yardstick-runs/x.csv", "'..' segment")]
    [InlineData("datasets/a/../../x.csv", "'..' segment")]
    [InlineData("datasets//x.csv", "empty")]
    [InlineData("datasets/./x.csv", "'.'")]
    [InlineData("datasets/..%2Fyardstick-runs%2Fx.csv", "holds '%'")]
    [InlineData("datasets/..\\x.csv", "holds '\\'")]
    [InlineData("datasets/x.csv?sv=2024&sig=abc", "holds '?'")]
    [InlineData("datasets/x y.csv", "holds ' '")]
    [InlineData("datasets/x\u0000.csv", "holds '\\u0000'")]
    [InlineData("datasets/users.txt", "neither .csv nor .jsonl")]
    [InlineData("datasets/", "empty")]
    public void ShapeError_OutsideTheContainerOrOdd_SaysWhy(string blob, string message)
    {
        var error = DatasetBlobNames.ShapeError(blob);

        Assert.NotNull(error);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("data.blob", Assert.Throws<InputException>(() => DatasetBlobNames.BlobName(blob)).Field);
    }

    [Fact]
    public void ShapeError_HugeName_IsRefusedAndTheMessageStaysShort()
    {
        var blob = "datasets/" + new string('a', 10_000) + ".csv";

        var error = DatasetBlobNames.ShapeError(blob)!;

        Assert.Contains($"at most {DatasetBlobNames.MaxLength}", error, StringComparison.Ordinal);
        Assert.True(error.Length < 300, error);
    }

    [Fact]
    public void DatasetRows_BlobChangedWhileWrapping_StopsTheShardWithTheReason()
    {
        const string Text = "id\n1\n2\n";
        var opened = 0;
        DatasetReader Open() => ++opened == 1
            ? new DatasetReader(new MemoryStream(Encoding.UTF8.GetBytes(Text)), "datasets/ids.csv", jsonl: false)
            : throw new DatasetChangedException("ids.csv", "\"0x1\"");
        using var rows = new DatasetRows(Open, new DataSpec { Blob = "datasets/ids.csv" }, 0, 1, seed: 1);
        var buffer = new DataRowBuffer(1);

        Assert.True(rows.TryRead(0, buffer));
        Assert.True(rows.TryRead(1, buffer));
        Assert.False(rows.TryRead(2, buffer));
        Assert.False(rows.TryRead(3, buffer));

        Assert.True(rows.Exhausted);
        Assert.Equal(2, opened);
        Assert.Contains("stopped after 2 row(s)", rows.ExhaustedReason, StringComparison.Ordinal);
        Assert.Contains("'datasets/ids.csv' changed after the run was planned", rows.ExhaustedReason, StringComparison.Ordinal);
    }
}
