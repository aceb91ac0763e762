namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// Bounds on what <see cref="Http1ResponseParser"/> accepts, so hostile or broken responses end in a clear
/// protocol error instead of unbounded buffering. Defaults follow <c>SocketsHttpHandler</c> (64 KiB of headers).
/// </summary>
internal sealed record Http1ParserLimits
{
    public static Http1ParserLimits Default { get; } = new();

    /// <summary>Status line plus header lines (and, separately, the trailer section), CRLFs included.</summary>
    public int MaxHeaderSectionBytes { get; init; } = 64 * 1024;

    /// <summary>Any single line: status line, header line, chunk-size line, trailer line.</summary>
    public int MaxLineBytes { get; init; } = 16 * 1024;

    /// <summary>Hex digits of a chunk size; 15 digits keep every size below 2^60.</summary>
    public int MaxChunkSizeDigits { get; init; } = 15;

    /// <summary>Interim (1xx) responses tolerated before the final one.</summary>
    public int MaxInterimResponses { get; init; } = 16;

    /// <summary>Longest instance-header value captured; longer values are cut (the id is a label, not data).</summary>
    public int MaxInstanceValueBytes { get; init; } = 256;
}
