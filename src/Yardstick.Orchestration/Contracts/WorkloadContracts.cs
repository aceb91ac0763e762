using Yardstick.Core.Trends;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Orchestration.Contracts;

// The workload endpoints' answers, shared by the Functions app (which writes them) and the CLI (which reads them).

/// <summary>Answer to <c>PUT /api/workloads/{name}</c>.</summary>
public sealed record WorkloadPushResponse
{
    /// <summary>True when a new version was stored (201); false when the newest active version already had this text (200).</summary>
    public bool Created { get; init; }

    public required WorkloadVersion Version { get; init; }

    /// <summary>The version's URL (<c>GET</c> it for the text, <c>DELETE</c> it to retire it).</summary>
    public required string Url { get; init; }
}

/// <summary>Answer to <c>GET /api/workloads/{name}/versions</c>.</summary>
public sealed record WorkloadVersionsResponse
{
    public required string Workload { get; init; }

    /// <summary>Newest first, retired versions included.</summary>
    public IReadOnlyList<WorkloadVersion> Versions { get; init; } = [];
}

/// <summary>One version (and, from <c>GET</c>, its text).</summary>
public sealed record WorkloadVersionResponse
{
    public required WorkloadVersion Version { get; init; }

    public string? Text { get; init; }
}

/// <summary>Answer to <c>GET /api/workloads</c>.</summary>
public sealed record WorkloadOverviewResponse
{
    /// <summary>By name.</summary>
    public IReadOnlyList<WorkloadOverview> Workloads { get; init; } = [];
}

/// <summary>One workload in <c>GET /api/workloads</c>.</summary>
public sealed record WorkloadOverview
{
    public required string Workload { get; init; }

    /// <summary>Newest active registered version, or null for a workload only deployed with the app.</summary>
    public int? Registered { get; init; }

    /// <summary>The newest run (any status), or null when it never ran.</summary>
    public TrendRun? LatestRun { get; init; }

    /// <summary>The newest run's overall verdict, when analysed.</summary>
    public string? Verdict { get; init; }

    /// <summary>The metric <see cref="Direction"/> is about (<c>p95</c>).</summary>
    public required string Metric { get; init; }

    /// <summary>Days of history the direction was read from.</summary>
    public int Days { get; init; }

    /// <summary><c>up</c>, <c>down</c> or <c>flat</c> at the newest change point of the newest run's settings key.</summary>
    public required string Direction { get; init; }

    /// <summary><c>worse</c>, <c>better</c> or <c>unchanged</c>.</summary>
    public required string Assessment { get; init; }

    /// <summary>The newest change point of that series, when there is one.</summary>
    public TrendChangePoint? LastChangePoint { get; init; }
}
