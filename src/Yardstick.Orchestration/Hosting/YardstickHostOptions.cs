using Yardstick.Core.Load.Safety;

namespace Yardstick.Orchestration.Hosting;

/// <summary>What differs between the two hosts that run the same orchestrations.</summary>
public sealed record YardstickHostOptions
{
    /// <summary><c>local</c> (CLI) or <c>functions</c> (Azure).</summary>
    public string Host { get; init; } = "local";

    /// <summary>Target allow-list; loopback only unless configured (<c>YARDSTICK_ALLOWED_HOSTS</c>, <c>--allow-host</c>).</summary>
    public TargetPolicy TargetPolicy { get; init; } = TargetPolicy.LoopbackOnly;

    /// <summary>Whether <c>target.process</c> workloads may run (local host only).</summary>
    public bool AllowLocalProcesses { get; init; }

    /// <summary>Where <c>${env:NAME}</c> references are resolved (the worker's environment).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Names this worker in shard results (<c>machine/pid</c> by default).</summary>
    public string WorkerName { get; init; } = $"{System.Environment.MachineName}/{System.Environment.ProcessId}";

    /// <summary>Cancelled when the host shuts down: running shards stop and return what they measured.</summary>
    public CancellationToken Shutdown { get; init; }
}
