namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Hard caps on what one run may ask for, whatever the workload says. They keep a typo (12000/s instead of
/// 1200/m) from becoming an attack, and bound the cost of a run. Validation names the field that exceeds one.
/// </summary>
public static class LoadCaps
{
    public const double MaxRatePerSecond = 200_000;
    public const int MaxConcurrency = 10_000;
    public const int MaxConnections = 10_000;
    public const int MaxInFlight = 100_000;
    public const int MaxShards = 256;
    public const int MaxRepeat = 50;
    public const int MaxColdStartProbes = 100;

    /// <summary>Most idle times in one eviction curve (<c>coldStart.idleTimes</c>).</summary>
    public const int MaxIdleTimes = 12;

    /// <summary>Longest single idle time of a cold-start probe.</summary>
    public static readonly TimeSpan MaxIdleTime = TimeSpan.FromHours(24);

    /// <summary>Longest total idle wait of a run's cold-start probes (probes × the idle times).</summary>
    public static readonly TimeSpan MaxColdStartIdle = TimeSpan.FromHours(48);
    public const long MaxTotalRequests = 100_000_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(2);
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromMinutes(5);

    /// <summary><c>load.timerSlack</c>: beyond a few milliseconds a schedule is no longer paced, only batched.</summary>
    public static readonly TimeSpan MaxTimerSlack = TimeSpan.FromMilliseconds(10);

    /// <summary>Variants of one sweep (a grid's cells).</summary>
    public const int MaxSweepVariants = 64;

    /// <summary>Steps of one capacity search (per sweep variant).</summary>
    public const int MaxCapacitySteps = 30;

    /// <summary>Load time (warm-ups and measured turns) of a grid or a capacity search, whose size multiplies.</summary>
    public static readonly TimeSpan MaxRunLoadTime = TimeSpan.FromHours(24);
}
