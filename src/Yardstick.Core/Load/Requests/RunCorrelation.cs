using System.Security.Cryptography;
using System.Text;

namespace Yardstick.Core.Load.Requests;

/// <summary>
/// Exact correlation of a run's requests with server telemetry: the one place that defines the headers Yardstick puts
/// on every request (unless <c>target.correlation: false</c>) and how their values derive from the run id.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>traceparent: 00-{trace id}-{parent id}-01</c> (W3C Trace Context). The 32-hex-digit trace id is the run's
/// <see cref="TraceIdPrefix"/> (16 hex digits) followed by 16 hex digits unique to the request within the run (a
/// SplitMix64 hash of the shard's seed and the exchange's sequence number). The flags say <c>sampled</c>.</item>
/// <item><c>x-yardstick-run: {run id}</c>.</item>
/// </list>
/// Application Insights stores the incoming trace id as the request's <c>OperationId</c>, so
/// <c>AppRequests | where OperationId startswith "{TraceIdPrefix(runId)}"</c> selects exactly this run's requests —
/// no time window that other traffic pollutes. Use <see cref="TraceIdPrefix"/> for that query; never re-derive it.
/// </remarks>
public static class RunCorrelation
{
    /// <summary>The W3C Trace Context request header.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The header carrying the run id.</summary>
    public const string RunHeader = "x-yardstick-run";

    /// <summary>Length of <see cref="TraceIdPrefix"/> in hex digits (half of the 32-digit trace id).</summary>
    public const int PrefixHexDigits = 16;

    /// <summary>Length of a <c>traceparent</c> value: <c>00-</c> + 32 + <c>-</c> + 16 + <c>-01</c>.</summary>
    public const int TraceParentLength = 55;

    /// <summary>
    /// The run's trace-id prefix: the first 8 bytes of SHA-256 over <c>"yardstick-run:" + runId</c> (UTF-8), as 16
    /// lowercase hex digits. Stable across processes and versions (stored runs are queried by it), and never all zeros.
    /// </summary>
    public static string TraceIdPrefix(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("yardstick-run:" + runId));

        // An all-zero trace id is invalid; a zero prefix (odds 2^-64) is nudged so no request can carry one.
        if (hash.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            hash[7] = 1;
        }

        return Convert.ToHexStringLower(hash, 0, 8);
    }

    /// <summary>The full trace id of one request: the run's prefix and 16 hex digits from the shard seed and sequence.</summary>
    public static string TraceId(string runId, long shardSeed, long sequence)
    {
        Span<byte> text = stackalloc byte[TraceParentLength];
        var trace = new TraceParentWriter(TraceIdPrefix(runId), shardSeed);
        trace.Write(sequence, text);
        return Encoding.ASCII.GetString(text.Slice(3, 32));
    }
}

/// <summary>Writes <c>traceparent</c> values for one shard without allocating (the prefix is encoded once).</summary>
internal sealed class TraceParentWriter
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();
    private readonly byte[] _template = new byte[RunCorrelation.TraceParentLength];
    private readonly ulong _seed;

    public TraceParentWriter(string prefix, long shardSeed)
    {
        "00-"u8.CopyTo(_template);
        Encoding.ASCII.GetBytes(prefix, _template.AsSpan(3, RunCorrelation.PrefixHexDigits));
        _template[35] = (byte)'-';
        "-01"u8.CopyTo(_template.AsSpan(52));
        _seed = (ulong)shardSeed;
    }

    /// <summary>Writes the 55-byte value for exchange <paramref name="sequence"/> into <paramref name="destination"/>.</summary>
    public void Write(long sequence, Span<byte> destination)
    {
        _template.CopyTo(destination);
        var id = Mix(_seed ^ Mix((ulong)sequence + 0x632BE59BD9B4E019UL));
        var parent = Mix(id ^ 0xD6E8FEB86659FD93UL);
        WriteHex(id, destination.Slice(19, 16));
        WriteHex(parent == 0 ? 1 : parent, destination.Slice(36, 16));
    }

    private static void WriteHex(ulong value, Span<byte> destination)
    {
        for (var i = 15; i >= 0; i--)
        {
            destination[i] = Hex[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
