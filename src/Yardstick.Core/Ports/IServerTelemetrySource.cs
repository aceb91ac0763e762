namespace Yardstick.Core.Ports;

/// <summary>
/// Server-side request telemetry (Application Insights <c>AppRequests</c> in a Log Analytics workspace):
/// server durations and serving instances. Implemented in Yardstick.Azure.
/// </summary>
public interface IServerTelemetrySource
{
    /// <summary>Requests of <paramref name="appName"/> (role name) in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    Task<IReadOnlyList<ServerRequest>> GetRequestsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// When each role instance was first seen serving in the window: a new instance is a cold start
    /// (the check a Microsoft maintainer recommends, Azure/azure-functions-host#10706).
    /// </summary>
    Task<IReadOnlyList<InstanceFirstSeen>> GetInstanceFirstSeenAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Server durations in the window rounded up to whole ms, with their (sampling-weighted) counts: an aggregate,
    /// for runs too large to fetch row by row with <see cref="GetRequestsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<Cost.DurationBucket>> GetDurationBucketsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>One server-side request record.</summary>
public sealed record ServerRequest
{
    public DateTimeOffset Timestamp { get; init; }

    public string Name { get; init; } = "";

    /// <summary>Server duration (ms); null when the record has none.</summary>
    public double? DurationMs { get; init; }

    public bool? Success { get; init; }

    public string? ResultCode { get; init; }

    public string? RoleInstance { get; init; }

    /// <summary>Sampling weight: how many requests this record stands for (1 when unsampled).</summary>
    public long ItemCount { get; init; } = 1;
}

/// <summary>A role instance and the first time it served in the window.</summary>
public sealed record InstanceFirstSeen(string RoleInstance, DateTimeOffset FirstSeen, long Requests);
