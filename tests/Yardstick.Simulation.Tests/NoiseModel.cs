namespace Yardstick.Simulation.Tests;

/// <summary>
/// The noise model of simulated runs (see README.md): log-normal request latencies, a multiplicative shift per run,
/// an AR(1) multiplicative effect per second, Poisson-like arrivals and bursty errors.
/// </summary>
public sealed record NoiseModel
{
    /// <summary>Median request latency of an unshifted run.</summary>
    public double MedianLatencyMs { get; init; } = 40;

    /// <summary>σ of log latency between requests of the same second (0.5: p99/p50 ≈ 3.2).</summary>
    public double RequestLogSigma { get; init; } = 0.5;

    /// <summary>σ of the per-run multiplicative shift of all latencies (cloud run-to-run noise).</summary>
    public double RunShiftSigma { get; init; } = 0.03;

    /// <summary>Marginal σ of the per-second multiplicative latency effect (an AR(1) process over seconds).</summary>
    public double WindowSigma { get; init; } = 0.05;

    /// <summary>Lag-1 correlation of the per-second effect.</summary>
    public double WindowRho { get; init; } = 0.5;

    public double RequestsPerSecond { get; init; } = 100;

    public int Seconds { get; init; } = 60;

    /// <summary>Mean error probability per request.</summary>
    public double ErrorRate { get; init; } = 0.003;

    /// <summary>σ of the per-run multiplicative shift of the error rate.</summary>
    public double ErrorRunSigma { get; init; } = 0.1;

    /// <summary>Marginal σ of the per-second log error-rate effect (bursts), AR(1) with <see cref="WindowRho"/>.</summary>
    public double ErrorWindowSigma { get; init; } = 0.5;

    /// <summary>Width of the log-spaced latency buckets (0.002 ≈ 0.2 % relative precision, HdrHistogram-like).</summary>
    public double BucketLogWidth { get; init; } = 0.002;
}
