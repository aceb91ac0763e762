using System.Text;
using Yardstick.Core.Load.Transports.Lean;
using static Yardstick.Core.Tests.Load.Transports.Lean.ParserHarness;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>Broken and hostile responses end in a clear error however the bytes are cut, never in a hang or a huge buffer.</summary>
public sealed class Http1ResponseParserMalformedTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\n";
    private const string Chunked = Ok + "Transfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "bad protocol", "HTXP/1.1 200 OK\r\n\r\n", "invalid status line 'HTX" },
        { "letters in status", "HTTP/1.1 2x0 OK\r\n\r\n", "invalid status line 'HTTP/1.1 2x0 OK'" },
        { "status below 100", "HTTP/1.1 099 Low\r\n\r\n", "invalid status line 'HTTP/1.1 099 Low'" },
        { "no space after code", "HTTP/1.1 2000 OK\r\n\r\n", "invalid status line 'HTTP/1.1 2000 OK'" },
        { "garbage", "garbage\r\n\r\n", "invalid status line 'g" },
        { "TLS alert on plain port", "\u0015\u0003\u0003\u0000\u0002\u0002\u0046", "invalid status line '?" },
        { "HTTP/2 settings frame", "\0\0\u0012\u0004\0\0\0\0\0\0\u0003\0\0\0\u0064", "invalid status line '?" },
        { "bad chunk size", Chunked + "zz\r\n", "invalid chunk-size line 'zz': expected hex digits" },
        { "chunk size trailing junk", Chunked + "5 x\r\nhello\r\n0\r\n\r\n", "invalid chunk-size line '5 x'" },
        { "too many chunk digits", Chunked + "1000000000000000\r\n", "chunk size has more than 15 hex digits" },
        { "chunk longer than size", Chunked + "3\r\nabcd\r\n0\r\n\r\n", "chunk data is not followed by CRLF" },
        { "negative length", Ok + "Content-Length: -5\r\n\r\n", "invalid Content-Length: not a non-negative decimal integer" },
        { "length with junk", Ok + "Content-Length: 5x\r\n\r\nhello", "invalid Content-Length" },
        { "huge length", Ok + "Content-Length: 9999999999999999999999\r\n\r\n", "invalid Content-Length" },
        { "conflicting lengths", Ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "conflicting Content-Length values" },
        { "conflicting length list", Ok + "Content-Length: 5, 6\r\n\r\nhello", "conflicting Content-Length values" },
        { "upgrade not asked for", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "unexpected 101 Switching Protocols" },
        { "obsolete folding", Ok + "X-A: one\r\n two\r\n\r\n", "obsolete header line folding" },
        { "no colon", Ok + "Just a line\r\n\r\n", "header line without 'name:'" },
        { "empty name", Ok + ": value\r\n\r\n", "header line without 'name:'" },
        { "space before colon", Ok + "Bad : x\r\n\r\n", "whitespace between header name 'Bad' and colon" },
        { "bare CR", Ok + "X-A: a\rb\r\n\r\n", "bare CR inside a header line" },
        { "endless interim", string.Concat(Enumerable.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 17)), "more than 16 interim (1xx) responses" },
        { "truncated body", Ok + "Content-Length: 10\r\n\r\nabc", "truncated body: connection closed after 3 of 10 bytes" },
        { "truncated chunk", Chunked + "5\r\nab", "truncated chunked body: connection closed before the last chunk" },
        { "missing last chunk", Chunked + "2\r\nab\r\n", "truncated chunked body" },
        { "truncated trailers", Chunked + "0\r\nX-Trailer: 1\r\n", "truncated chunked body" },
        { "closed in headers", Ok + "Content-Le", "connection closed in the middle of the response headers" },
        { "closed in status line", "HTTP/1.1 20", "connection closed in the middle of the response headers" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedResponseSplitAnywhere_ClearError(string name, string wire, string expected)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        foreach (var cuts in EverySplit(bytes).Append(ByteByByte(bytes)).Concat(RandomSplits(bytes, seed: 66, count: 50)))
        {
            var last = Parse(bytes, cuts).LastOrDefault();

            Assert.True(last?.Error is not null, $"{name}: no error for cuts [{string.Join(",", cuts)}]");
            Assert.Contains(expected, last.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_HeaderSectionOverLimit_ErrorBeforeBufferingMore()
    {
        var header = "X-Pad: " + new string('a', 1000) + "\r\n";
        var wire = Wire(Ok + string.Concat(Enumerable.Repeat(header, 100)) + "\r\n");

        var last = Parse(wire, RandomSplits(wire, seed: 1, count: 1, maxChunk: 4096).Single()).Last();

        Assert.Equal("response header section is larger than 65536 bytes", last.Error);
    }

    [Fact]
    public void Parse_TrailerSectionOverLimit_Error()
    {
        var limits = new Http1ParserLimits { MaxHeaderSectionBytes = 256 };
        var wire = Wire(Chunked + "0\r\n" + string.Concat(Enumerable.Repeat("X-Trailer: 0123456789\r\n", 20)) + "\r\n");

        var last = Parse(wire, EverySplit(wire).ElementAt(100), limits: limits).Last();

        Assert.Equal("trailer section is larger than 256 bytes", last.Error);
    }

    [Fact]
    public void Parse_EndlessLineWithoutLf_StopsAtLineLimit()
    {
        var parser = new Http1ResponseParser("x-instance-id");
        parser.Reset(head: false);
        Assert.Equal(Http1ParseStatus.NeedMoreData, parser.Parse(Wire(Ok + "X-Long: "), out _));
        var chunk = new byte[1024];
        Array.Fill(chunk, (byte)'a');

        var fed = 0;
        var status = Http1ParseStatus.NeedMoreData;
        while (status == Http1ParseStatus.NeedMoreData && fed < 1024 * 1024)
        {
            status = parser.Parse(chunk, out _);
            fed += chunk.Length;
        }

        Assert.Equal(Http1ParseStatus.Error, status);
        Assert.Equal("header line is longer than 16384 bytes", parser.Error);
        Assert.True(fed <= 17 * 1024, $"fed {fed} bytes before the error");
    }

    [Fact]
    public void Parse_AfterError_StaysFailedUntilReset()
    {
        var parser = new Http1ResponseParser("x-instance-id");
        parser.Reset(head: false);
        Assert.Equal(Http1ParseStatus.Error, parser.Parse(Wire("nonsense\r\n"), out _));

        Assert.Equal(Http1ParseStatus.Error, parser.Parse(Wire(Ok + "Content-Length: 0\r\n\r\n"), out _));
        parser.Reset(head: false);
        Assert.Equal(Http1ParseStatus.Complete, parser.Parse(Wire(Ok + "Content-Length: 0\r\n\r\n"), out _));
        Assert.Null(parser.Error);
    }

    [Fact]
    public void Finish_NothingReceived_SaysSo()
    {
        var parser = new Http1ResponseParser("x-instance-id");
        parser.Reset(head: false);

        Assert.Equal(Http1ParseStatus.Error, parser.Finish());
        Assert.Equal("connection closed before any response byte", parser.Error);
    }
}
