using System.Text;
using Microsoft.AspNetCore.Http;
using Yardstick.Core;
using Yardstick.Functions.Api;

namespace Yardstick.Functions.Tests.Api;

/// <summary>The body reader on its own: the size cap holds whatever the framing, and the two body shapes.</summary>
public sealed class StartRunRequestReaderTests
{
    private const int Limit = 1024 * 1024;

    [Fact]
    public async Task Read_ChunkedBodyOverTheLimit_StopsReadingJustPastTheLimit()
    {
        var body = new CountingStream(new byte[2 * Limit]);
        var request = Request("application/yaml", body, contentLength: null);

        await Assert.ThrowsAsync<BodyTooLargeException>(() => StartRunRequestReader.ReadAsync(request, Limit, CancellationToken.None));

        // It read at most one buffer past the limit, never the whole 2 MiB.
        Assert.InRange(body.BytesRead, Limit, Limit + (64 * 1024));
    }

    [Fact]
    public async Task Read_DeclaredLengthOverTheLimit_ReadsNothing()
    {
        var body = new CountingStream(new byte[2 * Limit]);
        var request = Request("application/json", body, contentLength: 2 * Limit);

        await Assert.ThrowsAsync<BodyTooLargeException>(() => StartRunRequestReader.ReadAsync(request, Limit, CancellationToken.None));

        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task Read_BodyExactlyAtTheLimit_IsAccepted()
    {
        var text = "# " + new string('x', Limit - 3) + "\n";
        var request = Request("text/yaml; charset=utf-8", new MemoryStream(Encoding.UTF8.GetBytes(text)), contentLength: Limit);

        var read = await StartRunRequestReader.ReadAsync(request, Limit, CancellationToken.None);

        Assert.Equal(text, read.WorkloadText);
    }

    [Fact]
    public async Task Read_YamlWithBadTagQuery_NamesTheTagParameter()
    {
        var request = Request("application/yaml", new MemoryStream("name: x"u8.ToArray()), contentLength: 7);
        request.QueryString = new QueryString("?tag=no-colon");

        var e = await Assert.ThrowsAsync<InputException>(() => StartRunRequestReader.ReadAsync(request, Limit, CancellationToken.None));

        Assert.Equal("tag", e.Field);
    }

    [Fact]
    public async Task Read_JsonWithYamlOnlyQuery_NamesTheParameter()
    {
        var request = Request("application/json", new MemoryStream("""{"workload":"x"}"""u8.ToArray()), contentLength: null);
        request.QueryString = new QueryString("?set=load.rate=1/s");

        var e = await Assert.ThrowsAsync<InputException>(() => StartRunRequestReader.ReadAsync(request, Limit, CancellationToken.None));

        Assert.Equal("set", e.Field);
    }

    private static HttpRequest Request(string contentType, Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = contentLength;
        context.Request.Body = body;
        return context.Request;
    }

    /// <summary>Counts what the reader actually pulled from the body (wraps, so no read is counted twice).</summary>
    private sealed class CountingStream(byte[] data) : Yardstick.Core.Datasets.ForwardOnlyReadStream(new MemoryStream(data))
    {
        public long BytesRead => Consumed;

        public override int Read(Span<byte> buffer)
        {
            var read = Inner.Read(buffer);
            Consumed += read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
