using System.Text;
using Yardstick.Core.Datasets;

namespace Yardstick.Core.Tests.Datasets;

public sealed class DatasetReaderTests
{
    private static DatasetReader Csv(string text, bool bom = false) =>
        new(new MemoryStream((bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray()), "data/t.csv", jsonl: false);

    private static DatasetReader Jsonl(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)), "data/t.jsonl", jsonl: true);

    private static List<string[]> All(DatasetReader reader)
    {
        var rows = new List<string[]>();
        var values = new string[reader.Columns.Count];
        while (reader.Next(values))
        {
            rows.Add([.. values]);
        }

        return rows;
    }

    [Fact]
    public void Csv_QuotesDoubledQuotesSeparatorsAndEmbeddedNewlines_ReadAsOneValueEach()
    {
        using var reader = Csv("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n");

        Assert.Equal(["id", "note"], reader.Columns);
        var rows = All(reader);
        Assert.Equal(["1", "a, b"], rows[0]);
        Assert.Equal(["2", "say \"hi\""], rows[1]);
        Assert.Equal(["3", "two\nlines"], rows[2]);
        Assert.Equal(["4", "plain"], rows[3]);
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public void Csv_Bom_IsNotPartOfTheFirstColumnName()
    {
        using var reader = Csv("id,name\n7,Ada\n", bom: true);

        Assert.Equal("id", reader.Columns[0]);
        Assert.Equal(["7", "Ada"], Assert.Single(All(reader)));
    }

    [Fact]
    public void Csv_ShortRowBlankLinesAndNoFinalNewline_MissingValuesAreEmpty()
    {
        using var reader = Csv("a,b,c\n1\n\n2,x,y");

        var rows = All(reader);
        Assert.Equal(["1", "", ""], rows[0]);
        Assert.Equal(["2", "x", "y"], rows[1]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void Csv_HeaderOnly_HasColumnsAndNoRow()
    {
        using var reader = Csv("id,name\n");

        Assert.Equal(["id", "name"], reader.Columns);
        Assert.Empty(All(reader));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("id,,name\n", "column 2 of the header row has no name")]
    [InlineData("id,id\n", "column 'id' appears twice")]
    public void Csv_BadHeader_Refused(string text, string message)
    {
        var e = Assert.Throws<DatasetException>(() => Csv(text));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("data/t.csv", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id\n1,2\n", "line 2: 2 fields, but the header names 1 columns")]
    [InlineData("id\n\"open\n", "line 2: a quoted field is never closed")]
    [InlineData("id\n\"a\"b\n", "text after a closing quote")]
    public void Csv_MalformedRow_RefusedNamingTheLine(string text, string message)
    {
        using var reader = Csv(text);

        var e = Assert.Throws<DatasetException>(() => All(reader));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_RowLongerThanTheCap_RefusedInsteadOfGrowingWithoutBound()
    {
        using var reader = Csv("id\n" + new string('x', DatasetReader.MaxRowChars + 10) + "\n");

        var e = Assert.Throws<DatasetException>(() => All(reader));
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_FlatObjects_FirstObjectNamesTheColumnsMissingKeysEmptyScalarsAsText()
    {
        using var reader = Jsonl("{\"id\":1,\"name\":\"Ada \\\"A\\\"\",\"vip\":true}\n\n{\"name\":\"Alan\",\"id\":2.5,\"extra\":\"x\",\"vip\":null}\n{\"id\":3}");

        Assert.Equal(["id", "name", "vip"], reader.Columns);
        var rows = All(reader);
        Assert.Equal(["1", "Ada \"A\"", "true"], rows[0]);
        Assert.Equal(["2.5", "Alan", ""], rows[1]);
        Assert.Equal(["3", "", ""], rows[2]);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"a\":{\"b\":1}}", "'a' is a nested object")]
    [InlineData("{\"a\":[1]}", "'a' is a nested array")]
    [InlineData("{\"a\":1} {\"a\":2}", "line 1: not valid JSON")]
    [InlineData("{\"a\":", "not valid JSON")]
    public void Jsonl_BadFirstLine_Refused(string text, string message)
    {
        var e = Assert.Throws<DatasetException>(() => Jsonl(text));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_BadLaterLine_RefusedNamingTheLine()
    {
        using var reader = Jsonl("{\"a\":1}\n{\"a\":2}\nnot json\n");

        var e = Assert.Throws<DatasetException>(() => All(reader));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Every row read through <see cref="DatasetReader.Next(DataRowBuffer)"/>, as text.</summary>
    private static List<string[]> AllBytes(DatasetReader reader)
    {
        var rows = new List<string[]>();
        var row = new DataRowBuffer(reader.Columns.Count, initialBytes: 16);
        while (reader.Next(row))
        {
            rows.Add([.. Enumerable.Range(0, row.Columns).Select(i => Encoding.UTF8.GetString(row.Value(i)))]);
        }

        return rows;
    }

    [Theory]
    [InlineData(false, "id,note,city\r\n1,\"a, b\",Zürich\r\n\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\",\n4,,São Paulo\n")]
    [InlineData(true, "{\"id\": 1, \"note\": \"a \\\"b\\\"\", \"city\": \"Zürich\"}\n\n{\"id\": 2, \"city\": null}\n{\"note\": \"x\", \"id\": 3.5}\n")]
    public void NextIntoRowBuffer_SameValuesAsStrings(bool jsonl, string text)
    {
        using var strings = jsonl ? Jsonl(text) : Csv(text);
        using var bytes = jsonl ? Jsonl(text) : Csv(text);

        var expected = All(strings);
        Assert.Equal(jsonl ? 3 : 4, expected.Count);
        Assert.Equal(expected, AllBytes(bytes));
    }

    [Fact]
    public void NextIntoRowBuffer_TooManyFields_NamesTheLine()
    {
        using var reader = Csv("a,b\n1,2\n1,2,3\n");
        var row = new DataRowBuffer(2);

        Assert.True(reader.Next(row));
        var error = Assert.Throws<DatasetException>(() => reader.Next(row));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NextIntoRowBuffer_Csv_AllocatesNothingOnceTheBuffersHaveGrown()
    {
        var text = "id,name,city\n" + string.Concat(Enumerable.Range(0, 20000).Select(i => $"{i},\"user, {i}\",Zürich {i % 7}\n"));
        using var reader = Csv(text);
        var row = new DataRowBuffer(reader.Columns.Count);
        for (var i = 0; i < 10000; i++)
        {
            Assert.True(reader.Next(row));
        }

        // Three batches of 3,000 rows. An allocation per row would be at least 72 KB in every batch. The runtime itself
        // may allocate a few KB on this thread once (a CI run saw 7,000 bytes over 9,000 rows measured as one; the
        // reader's own code allocates nothing there), so the least batch must be exactly zero and none near one object a row.
        var batches = new long[3];
        var read = 0;
        for (var b = 0; b < batches.Length; b++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 3000 && reader.Next(row); i++)
            {
                read++;
            }

            batches[b] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(9000, read);
        Assert.Equal(0, batches.Min());
        Assert.All(batches, bytes => Assert.InRange(bytes, 0, 16 * 1024));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TryRewind_SeekableStream_StartsAgainAtTheFirstRow(bool jsonl, bool bom)
    {
        var text = jsonl ? "{\"id\": \"1\"}\n{\"id\": \"2\"}\n" : "id\n1\n2\n";
        var bytes = (bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        using var reader = new DatasetReader(new MemoryStream(bytes), jsonl ? "data/t.jsonl" : "data/t.csv", jsonl);
        var first = All(reader);

        Assert.True(reader.TryRewind());
        Assert.Equal(["id"], reader.Columns);
        Assert.Equal(first, All(reader));
        Assert.Equal([["1"], ["2"]], first);
    }

    [Fact]
    public void TryRewind_ForwardOnlyStream_Refuses()
    {
        using var reader = new DatasetReader(new NoSeek(new MemoryStream("id\n1\n"u8.ToArray())), "data/t.csv", jsonl: false);

        Assert.Single(All(reader));
        Assert.False(reader.TryRewind());
    }

    private sealed class NoSeek(Stream inner) : ForwardOnlyReadStream(inner)
    {
        public override int Read(Span<byte> buffer) => Inner.Read(buffer);
    }
}
