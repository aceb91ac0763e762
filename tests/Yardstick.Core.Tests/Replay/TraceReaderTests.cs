using System.Text;
using Yardstick.Core.Replay;

namespace Yardstick.Core.Tests.Replay;

/// <summary>The trace format: fields, defaults, order, safety of paths and errors naming load.trace with the line.</summary>
public sealed class TraceReaderTests
{
    private static List<TraceRecord> Read(string text)
    {
        using var reader = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        return reader.ReadAll().ToList();
    }

    private static InputException Refused(string text) => Assert.Throws<InputException>(() => Read(text));

    [Fact]
    public void Read_EveryField_IsMapped()
    {
        var records = Read("""
            {"t":"2026-12-01T10:00:00.1234567Z","method":"POST","name":"POST /api/items","path":"/api/items?page=REDACTED","status":201,"durationMs":12.5,"body":"{\"a\":1}","extra":{"nested":[1,2]}}
            """);

        var r = Assert.Single(records);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), r.T);
        Assert.Equal("POST", r.Method);
        Assert.Equal("/api/items?page=REDACTED", r.Path);
        Assert.Equal("POST /api/items", r.Name);
        Assert.Equal(201, r.Status);
        Assert.Equal(12.5, r.DurationMs);
        Assert.Equal("{\"a\":1}", r.Body);
    }

    [Fact]
    public void Read_Defaults_MethodGetAndNameFromPathWithoutQuery()
    {
        var r = Assert.Single(Read("""{"t":"2026-12-01T10:00:00Z","path":"/api/x?q=1"}"""));

        Assert.Equal("GET", r.Method);
        Assert.Equal("GET /api/x", r.Name);
        Assert.Null(r.Status);
        Assert.Null(r.DurationMs);
        Assert.Null(r.Body);
    }

    [Fact]
    public void Read_BlankLinesBomCrlfAndOffsets_AreHandled()
    {
        var text = "\uFEFF{\"t\":\"2026-12-01T10:00:00Z\",\"path\":\"/a\"}\r\n\r\n   \n{\"t\":\"2026-12-01T11:00:00+01:00\",\"path\":\"/b\"}\n{\"t\":\"2026-12-01T10:00:01.5Z\",\"path\":\"/c\"}";
        using var reader = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        var records = reader.ReadAll().ToList();

        Assert.Equal(["/a", "/b", "/c"], records.Select(r => r.Path));
        Assert.Equal(records[0].T, records[1].T); // +01:00 is the same instant
        Assert.Equal(TimeSpan.FromSeconds(1.5), records[2].T - reader.First);
        Assert.Equal(5, reader.Line);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), reader.BytesRead);
    }

    [Fact]
    public void Read_NonAsciiPath_IsPercentEncoded()
    {
        var r = Assert.Single(Read("""{"t":"2026-12-01T10:00:00Z","path":"/caf\u00e9?q=\u00fc"}"""));

        Assert.Equal("/caf%C3%A9?q=%C3%BC", r.Path);
    }

    [Fact]
    public void Read_TimeGoingBackwards_NamesTheLine()
    {
        var e = Refused("""
            {"t":"2026-12-01T10:00:01Z","path":"/a"}
            {"t":"2026-12-01T10:00:00Z","path":"/b"}
            """);

        Assert.Equal("load.trace", e.Field);
        Assert.StartsWith("line 2: t 2026-12-01T10:00:00", e.Message, StringComparison.Ordinal);
        Assert.Contains("backwards", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://evil.example/x", "origin-form")]
    [InlineData("//evil.example/x", "origin-form")]
    [InlineData("evil.example/x", "origin-form")]
    [InlineData("", "origin-form")]
    [InlineData("/a\\\\b", "backslash")]
    [InlineData("/a b", "space")]
    [InlineData("/a\\tb", "control")]
    [InlineData("/a\\r\\nHost: evil", "control")]
    [InlineData("/a#frag", "fragment")]
    public void Read_UnsafePath_IsRefusedNamingTheLine(string path, string why)
    {
        var e = Refused($$"""
            {"t":"2026-12-01T10:00:00Z","path":"/ok"}

            {"t":"2026-12-01T10:00:01Z","path":"{{path}}"}
            """);

        Assert.Equal("load.trace", e.Field);
        Assert.StartsWith("line 3: 'path'", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LongPath_IsRefused()
    {
        var e = Refused($$"""{"t":"2026-12-01T10:00:00Z","path":"/{{new string('a', TraceReader.MaxPathLength)}}"}""");

        Assert.Contains("at most 8192", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"path":"/a"}""", "'t' is missing")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z"}""", "'path' is missing")]
    [InlineData("""{"t":"2026-12-01T10:00:00","path":"/a"}""", "zone")]
    [InlineData("""{"t":"yesterday","path":"/a"}""", "ISO-8601")]
    [InlineData("""{"t":1,"path":"/a"}""", "'t' must be a string")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","method":"GE T"}""", "'method'")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","method":"VERYLONGMETHODNAME"}""", "'method'")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","status":"ok"}""", "'status'")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","durationMs":-1}""", "'durationMs'")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","name":""}""", "'name'")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a","body":{}}""", "'body' must be a string")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":"/a"} {}""", "not valid JSON")]
    [InlineData("""{"t":"2026-12-01T10:00:00Z","path":""", "not valid JSON")]
    public void Read_MalformedLine_IsRefusedNamingLoadTraceAndLine(string line, string expected)
    {
        var e = Refused(line);

        Assert.Equal("load.trace", e.Field);
        Assert.StartsWith("line 1: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"t":"2026-12-01T10:00:00Z","path":"/a","name":"xx"}""");
        bytes[^4] = 0xFF;
        using var reader = new TraceReader(new MemoryStream(bytes));

        var e = Assert.Throws<InputException>(() => reader.TryRead(out _));

        Assert.Equal("load.trace", e.Field);
        Assert.StartsWith("line 1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OverlongLine_IsRefusedWithoutHoldingMoreThanALine()
    {
        var line = $$"""{"t":"2026-12-01T10:00:00Z","path":"/a","body":"{{new string('x', TraceReader.MaxLineBytes)}}"}""" + "\n";

        var e = Refused("""{"t":"2026-12-01T10:00:00Z","path":"/a"}""" + "\n" + line);

        Assert.StartsWith("line 2: longer than 1024 KiB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargeTraceInSmallReads_StreamsEveryLine()
    {
        var text = new StringBuilder();
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 20_000; i++)
        {
            text.Append($$"""{"t":"{{start.AddMilliseconds(i).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}","path":"/items/{{i}}","body":"{{new string('b', i % 50)}}"}""").Append('\n');
        }

        using var reader = new TraceReader(new TrickleStream(Encoding.UTF8.GetBytes(text.ToString()), 7777));
        var n = 0;
        while (reader.TryRead(out var r))
        {
            Assert.Equal($"/items/{n}", r.Path);
            Assert.Equal(TimeSpan.FromMilliseconds(n), r.T - start);
            n++;
        }

        Assert.Equal(20_000, n);
    }

    /// <summary>Returns at most <paramref name="chunk"/> bytes per read, like a network stream.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
