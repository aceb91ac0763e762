namespace Yardstick.Functions.Hosting;

/// <summary>Settings of the Functions host's own code (the run engine's settings are in <c>YardstickHostOptions</c>).</summary>
public sealed record FunctionsHostSettings
{
    /// <summary>Largest request body the API reads: 1 MiB. Larger bodies get 413 before they are read.</summary>
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The deployed workload files (<c>workloads/</c> next to the app's binaries).</summary>
    public string WorkloadDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "workloads");

    /// <summary>Request bodies above this many bytes are refused with 413.</summary>
    public int MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Largest workload file <c>PUT /api/workloads/{name}</c> stores: 256 KiB (a workload file is a few KiB; its datasets live elsewhere).</summary>
    public const int DefaultMaxWorkloadBytes = 256 * 1024;

    /// <summary>Workload bodies above this many bytes (or <see cref="MaxBodyBytes"/>, if lower) are refused with 413.</summary>
    public int MaxWorkloadBytes { get; init; } = DefaultMaxWorkloadBytes;

    /// <summary>How long <c>POST /api/gate</c> waits by default: 170 s leaves margin under the 230 s after which Azure's front end drops an HTTP call that has not answered.</summary>
    public const int DefaultGateBudgetSeconds = 170;

    /// <summary>The longest wait a caller may ask for (<c>budgetSeconds</c>).</summary>
    public const int MaxGateBudgetSeconds = 200;

    /// <summary>Seconds <c>POST /api/gate</c> waits when the body names no budget (<c>YARDSTICK_GATE_BUDGET_SECONDS</c>).</summary>
    public int GateBudgetSeconds { get; init; } = DefaultGateBudgetSeconds;

    /// <summary>Runs carried at once by default: each holds shards, timers and storage traffic of one benchmark.</summary>
    public const int DefaultMaxConcurrentRuns = 4;

    /// <summary>The highest cap <c>YARDSTICK_MAX_CONCURRENT_RUNS</c> may set.</summary>
    public const int MaxMaxConcurrentRuns = 1000;

    /// <summary>Starts are refused with 429 while this many runs are Pending, Running or Suspended (<c>YARDSTICK_MAX_CONCURRENT_RUNS</c>).</summary>
    public int MaxConcurrentRuns { get; init; } = DefaultMaxConcurrentRuns;
}
