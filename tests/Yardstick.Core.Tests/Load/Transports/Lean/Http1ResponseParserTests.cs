using Yardstick.Core.Load.Transports.Lean;
using static Yardstick.Core.Tests.Load.Transports.Lean.ParserHarness;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>
/// Recorded responses parsed whole, split at every byte position, byte by byte and at seeded random positions:
/// every way of cutting the stream must give the same responses.
/// </summary>
public sealed class Http1ResponseParserTests
{
    // As Kestrel (the sample target) writes it.
    private const string KestrelHello =
        "HTTP/1.1 200 OK\r\nContent-Length: 36\r\nContent-Type: text/plain\r\nDate: Sun, 29 Nov 2026 08:00:00 GMT\r\n" +
        "Server-Timing: app;dur=0.042\r\nx-instance-id: 3f2a9c1d8e7b\r\n\r\nHello from Yardstick's sample target";

    private const string ChunkedWithExtensionsAndTrailers =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-instance-id: abc\r\n\r\n" +
        "5;name=value\r\nHello\r\n7 ; quoted=\"a;b\"\r\n, world\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0;last\r\nTrailer-One: 1\r\nServer-Timing: late;dur=9\r\n\r\n";

    private const string CloseDelimited =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nthe body runs until the server closes";

    private const string ContinueThenOk =
        "HTTP/1.1 100 Continue\r\nx-instance-id: interim\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-instance-id: final\r\n\r\nok";

    private const string NoContentThenOk =
        "HTTP/1.1 204 No Content\r\nx-instance-id: i1\r\n\r\n" +
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\nETag: \"x\"\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nend";

    private const string Pipelined =
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nx-instance-id: one\r\nServer-Timing: db;desc=\"x\", app;dur=12.5\r\n\r\nfirst" +
        "HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: gzip, CHUNKED\r\nX-INSTANCE-ID: one\r\n\r\n6\r\nsecond\r\n0\r\n\r\n" +
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\nx-instance-id: two\r\n\r\n";

    public static TheoryData<string> Recorded => new() { "kestrel", "chunked", "close", "continue", "no-content", "pipelined", "http10", "head" };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Parse_RecordedResponseSplitAnywhere_SameResult(string name)
    {
        var (wire, head) = Sample(name);
        var expected = Parse(wire, [], head);
        Assert.All(expected, r => Assert.Null(r.Error));

        foreach (var cuts in EverySplit(wire).Append(ByteByByte(wire)).Concat(RandomSplits(wire, seed: 6, count: 200)))
        {
            var actual = Parse(wire, cuts, head);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Parse_KestrelResponse_ReadsStatusBodyInstanceAndServerTiming()
    {
        var response = Assert.Single(Parse(Wire(KestrelHello), []));

        Assert.Equal(new ParsedResponse(200, "Hello from Yardstick's sample target", 36, true, "3f2a9c1d8e7b", 0.042, null), response);
    }

    [Fact]
    public void Parse_ChunkedWithExtensionsAndTrailers_DecodesBodyAndIgnoresTrailers()
    {
        var response = Assert.Single(Parse(Wire(ChunkedWithExtensionsAndTrailers), []));

        Assert.Equal("Hello, worldabcdefghijklmnopqrstuvwxyz", response.Body);
        Assert.True(response.KeepAlive);
        Assert.Equal("abc", response.InstanceId);
        Assert.Null(response.ServerDurationMs);
    }

    [Fact]
    public void Parse_NoLengthNoChunking_BodyEndsAtCloseAndConnectionIsNotReused()
    {
        var response = Assert.Single(Parse(Wire(CloseDelimited), []));

        Assert.Equal("the body runs until the server closes", response.Body);
        Assert.False(response.KeepAlive);
        Assert.Null(response.Error);
    }

    [Fact]
    public void Parse_InterimResponses_SkippedAndFinalHeadersWin()
    {
        var response = Assert.Single(Parse(Wire(ContinueThenOk), []));

        Assert.Equal(new ParsedResponse(200, "ok", 2, true, "final", null, null), response);
    }

    [Fact]
    public void Parse_204And304_HaveNoBodyEvenWithContentLength()
    {
        var responses = Parse(Wire(NoContentThenOk), []);

        Assert.Equal([204, 304, 200], responses.Select(r => r.Status));
        Assert.Equal(["", "", "end"], responses.Select(r => r.Body));
    }

    [Fact]
    public void Parse_HeadResponse_NoBodyAndNextResponseFollows()
    {
        var (wire, head) = Sample("head");

        var responses = Parse(wire, [], head);

        Assert.Equal([200, 200], responses.Select(r => r.Status));
        Assert.All(responses, r => Assert.Equal(0, r.BodyBytes));
    }

    [Fact]
    public void Parse_PipelinedResponses_EachFramedOnItsOwn()
    {
        var responses = Parse(Wire(Pipelined), []);

        Assert.Equal(3, responses.Count);
        Assert.Equal(new ParsedResponse(200, "first", 5, true, "one", 12.5, null), responses[0]);
        Assert.Equal(new ParsedResponse(500, "second", 6, true, "one", null, null), responses[1]);
        Assert.Equal(new ParsedResponse(404, "", 0, false, "two", null, null), responses[2]);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 1\r\n\r\nx", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nx", false)]
    public void Parse_ConnectionSemantics_KeepAliveAsRfc9112(string wire, bool keepAlive)
    {
        var response = Assert.Single(Parse(Wire(wire), []));

        Assert.Null(response.Error);
        Assert.Equal("x", response.Body);
        Assert.Equal(keepAlive, response.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx")]
    [InlineData("HTTP/1.1 200\r\nContent-Length:1\r\n\r\nx")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 1\n\nx")]
    public void Parse_TolerableVariants_Accepted(string wire)
    {
        var response = Assert.Single(Parse(Wire(wire), []));

        Assert.Equal(new ParsedResponse(200, "x", 1, true, null, null, null), response);
    }

    [Fact]
    public void Parse_SameInstanceValueOnEveryResponse_ReturnsTheSameString()
    {
        var parser = new Http1ResponseParser("x-instance-id");
        var seen = new List<string?>();
        foreach (var text in new[] { KestrelHello, KestrelHello, KestrelHello.Replace("3f2a9c1d8e7b", "0123456789ab", StringComparison.Ordinal) })
        {
            parser.Reset(head: false);
            Assert.Equal(Http1ParseStatus.Complete, parser.Parse(Wire(text), out _));
            seen.Add(parser.InstanceId);
        }

        Assert.Same(seen[0], seen[1]);
        Assert.Equal("0123456789ab", seen[2]);
    }

    private static (byte[] Wire, bool Head) Sample(string name) => name switch
    {
        "kestrel" => (Wire(KestrelHello), false),
        "chunked" => (Wire(ChunkedWithExtensionsAndTrailers), false),
        "close" => (Wire(CloseDelimited), false),
        "continue" => (Wire(ContinueThenOk), false),
        "no-content" => (Wire(NoContentThenOk), false),
        "pipelined" => (Wire(Pipelined), false),
        "http10" => (Wire("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nabcdHTTP/1.0 200 OK\r\n\r\nuntil close"), false),
        "head" => (Wire("HTTP/1.1 200 OK\r\nContent-Length: 36\r\nx-instance-id: h\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
