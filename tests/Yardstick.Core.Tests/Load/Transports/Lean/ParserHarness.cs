using System.Buffers;
using System.Text;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>What the parser made of one response (or of the failure that ended the stream).</summary>
internal sealed record ParsedResponse(int Status, string Body, long BodyBytes, bool KeepAlive, string? InstanceId, double? ServerDurationMs, string? Error);

/// <summary>Feeds a recorded byte stream to one parser in given chunks, as a connection would, and collects the responses.</summary>
internal static class ParserHarness
{
    public static byte[] Wire(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Parses back-to-back responses; <paramref name="cuts"/> are the offsets where a new chunk starts.</summary>
    public static List<ParsedResponse> Parse(byte[] wire, IEnumerable<int> cuts, bool head = false, bool closeAtEnd = true, Http1ParserLimits? limits = null)
    {
        var parser = new Http1ResponseParser("x-instance-id", limits);
        var body = new ArrayBufferWriter<byte>();
        parser.BodySink = body;
        parser.Reset(head);
        var responses = new List<ParsedResponse>();
        var starts = cuts.Where(c => c > 0 && c < wire.Length).Distinct().Order().Prepend(0).Append(wire.Length).ToArray();
        for (var i = 0; i + 1 < starts.Length; i++)
        {
            var chunk = wire.AsSpan(starts[i], starts[i + 1] - starts[i]);
            while (true)
            {
                var status = parser.Parse(chunk, out var consumed);
                Assert.InRange(consumed, 0, chunk.Length);
                if (status == Http1ParseStatus.Error)
                {
                    responses.Add(Snapshot(parser, body));
                    return responses;
                }

                if (status == Http1ParseStatus.NeedMoreData)
                {
                    Assert.Equal(chunk.Length, consumed);
                    break;
                }

                responses.Add(Snapshot(parser, body));
                body.Clear();
                parser.Reset(head);
                chunk = chunk[consumed..];
                if (chunk.IsEmpty)
                {
                    break;
                }
            }
        }

        if (closeAtEnd && parser.HasStarted)
        {
            parser.Finish();
            responses.Add(Snapshot(parser, body));
        }

        return responses;
    }

    /// <summary>Every way to cut the stream in two.</summary>
    public static IEnumerable<int[]> EverySplit(byte[] wire) => Enumerable.Range(0, wire.Length + 1).Select(i => new[] { i });

    /// <summary>Seeded random cuts: chunk sizes 1..<paramref name="maxChunk"/>.</summary>
    public static IEnumerable<int[]> RandomSplits(byte[] wire, int seed, int count, int maxChunk = 24)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var cuts = new List<int>();
            for (var at = random.Next(1, maxChunk + 1); at < wire.Length; at += random.Next(1, maxChunk + 1))
            {
                cuts.Add(at);
            }

            yield return [.. cuts];
        }
    }

    /// <summary>One byte at a time.</summary>
    public static int[] ByteByByte(byte[] wire) => Enumerable.Range(1, Math.Max(0, wire.Length - 1)).ToArray();

    private static ParsedResponse Snapshot(Http1ResponseParser parser, ArrayBufferWriter<byte> body) => new(
        parser.StatusCode,
        Encoding.Latin1.GetString(body.WrittenSpan),
        parser.BodyBytes,
        parser.KeepAlive,
        parser.InstanceId,
        parser.ServerDurationMs,
        parser.Error);
}
