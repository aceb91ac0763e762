namespace Yardstick.Core.Workloads.Registry;

/// <summary>
/// One stored version of a registered workload: the file's text is kept beside it (content-addressed by
/// <see cref="ContentHash"/>), the row says who pushed it when, and whether it was retired.
/// </summary>
/// <param name="Workload">The workload's name (its <c>name:</c>).</param>
/// <param name="Version">1, 2, 3… per workload, in push order; never reused, also after a retirement.</param>
/// <param name="ContentHash">SHA-256 of the text as pushed (<see cref="WorkloadContentHash"/>), 64 lowercase hex digits.</param>
/// <param name="Format"><c>yaml</c> or <c>json</c>.</param>
/// <param name="Author">Who pushed it (an author tag such as <c>cli:alice</c> or <c>github:bob</c>), when given.</param>
/// <param name="CreatedAt">When the version was stored.</param>
/// <param name="Schedule">The version's <c>schedule:</c> (for example <c>nightly</c>), when it has one.</param>
/// <param name="SizeBytes">Size of the text in UTF-8 bytes.</param>
/// <param name="RetiredAt">When the version was retired (it then never runs again, but stays in the history); null while active.</param>
/// <param name="RetiredBy">Who retired it, when given.</param>
public sealed record WorkloadVersion(
    string Workload,
    int Version,
    string ContentHash,
    string Format,
    string? Author,
    DateTimeOffset CreatedAt,
    string? Schedule,
    int SizeBytes,
    DateTimeOffset? RetiredAt = null,
    string? RetiredBy = null)
{
    public bool IsRetired => RetiredAt is not null;

    /// <summary>The first 12 hex digits of <see cref="ContentHash"/>, for people.</summary>
    public string ShortHash => WorkloadContentHash.Short(ContentHash);

    /// <summary><c>registry:{workload}@v{version}</c>: the source named in run records and error messages.</summary>
    public string Source => $"registry:{Workload}@v{Version}";
}

/// <summary>What a push did: stored a new version, or found the same text already newest.</summary>
/// <param name="Version">The stored (or found) version.</param>
/// <param name="Created">True when a new version was stored; false when the newest active version already had this text.</param>
public sealed record WorkloadPushResult(WorkloadVersion Version, bool Created);
