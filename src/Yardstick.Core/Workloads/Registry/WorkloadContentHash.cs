using System.Security.Cryptography;
using System.Text;

namespace Yardstick.Core.Workloads.Registry;

/// <summary>
/// The content hash every run records for the workload text it ran: SHA-256 over the UTF-8 text with line endings
/// normalised to <c>\n</c> and a leading byte-order mark dropped, so the same file checked out on Windows or Linux hashes
/// the same. Anything else (a comment, a space) is a change.
/// </summary>
public static class WorkloadContentHash
{
    /// <summary>64 lowercase hex digits.</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    /// <summary>The first 12 hex digits (or the whole value when shorter), for display.</summary>
    public static string Short(string? hash) => hash is null ? "" : hash.Length <= 12 ? hash : hash[..12];

    /// <summary><c>json</c> when the text starts with <c>{</c> (after white space), else <c>yaml</c>: how the loader reads it.</summary>
    public static string FormatOf(string text) => text.TrimStart('\uFEFF').TrimStart().StartsWith('{') ? "json" : "yaml";
}
