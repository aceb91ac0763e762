namespace Yardstick.Core.Workloads;

/// <summary>How rows are dealt to requests.</summary>
public enum DataMode
{
    /// <summary>Every shard walks the rows in file order.</summary>
    Sequential,

    /// <summary>Each request takes a row chosen at random (seeded, reproducible).</summary>
    Random,

    /// <summary>
    /// Shard i of n takes the rows whose index is i mod n, so no row is used by two shards or twice within a round
    /// (each round and the warm-up start again from the top of the file).
    /// </summary>
    Unique,
}

/// <summary>What happens when a shard has used all its rows.</summary>
public enum DataExhaustion
{
    /// <summary>The shard stops sending (the run says so); the default for <see cref="DataMode.Unique"/>.</summary>
    Stop,

    /// <summary>Start over at the shard's first row; the default for <see cref="DataMode.Sequential"/>.</summary>
    Wrap,
}

/// <summary>
/// A dataset (<c>data:</c>): CSV with a header row or JSON Lines, on disk (<see cref="File"/>, relative to the workload
/// file; the CLI only) or in the results storage account (<see cref="Blob"/>, <c>datasets/…</c>, the datasets container;
/// every host). Its SHA-256, rows and size (and a blob's ETag and version) are recorded with every run; a baseline on
/// another dataset is left out of the comparison unless the run allows it.
/// </summary>
public sealed record DataSpec
{
    /// <summary>A local file (.csv or .jsonl), relative to the workload file's folder.</summary>
    public string? File { get; init; }

    /// <summary>A blob in the results storage account's datasets container: <c>datasets/&lt;name&gt;.csv|.jsonl</c> (see <c>DatasetBlobNames</c>).</summary>
    public string? Blob { get; init; }

    public DataMode Mode { get; init; } = DataMode.Sequential;

    /// <summary>Seed of <see cref="DataMode.Random"/>; default the run's seed.</summary>
    public long? Seed { get; init; }

    /// <summary>What happens when rows run out; null: stop for unique, wrap for sequential.</summary>
    public DataExhaustion? OnExhausted { get; init; }

    /// <summary>The effective exhaustion rule.</summary>
    public DataExhaustion Exhaustion => OnExhausted ?? (Mode == DataMode.Unique ? DataExhaustion.Stop : DataExhaustion.Wrap);
}
