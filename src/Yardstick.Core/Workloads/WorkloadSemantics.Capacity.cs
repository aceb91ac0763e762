using System.Globalization;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath CapacityPath = DocPath.Root.Key("capacity");

    /// <summary>SLO metrics a capacity step can be judged on: the rate is the search's, so rps would judge nothing.</summary>
    private static readonly string[] CapacitySloMetrics = ["p50", "p90", "p95", "p99", "p99.9", "max", "mean", "errorRate"];

    private void CheckCapacity()
    {
        if (_w.Capacity is not { } capacity)
        {
            return;
        }

        // With a sweep this is a capacity study: one whole search per variant (CheckCapacitySize counts them all).
        var load = _w.Load;
        if (load.Model != LoadModel.Open)
        {
            Error(CapacityPath, "a capacity search steps the arrival rate up, so it needs the open model (load.model: open).");
        }

        if (load.Stages.Count > 0)
        {
            Error(LoadPath.Key("stages"), "a capacity search runs constant-rate steps; remove stages (give capacity.startRate or load.rate).");
        }

        if (_w.Compare.Repeat > 1)
        {
            Error(ComparePath.Key("repeat"), "a capacity search measures each step once (its steps are the rounds); remove compare.repeat.");
        }

        for (var i = 0; i < capacity.Slo.Count; i++)
        {
            var path = CapacityPath.Key("slo").Index(i);
            if (!ThresholdParser.TryParse(capacity.Slo[i], out var threshold, out var error))
            {
                Error(path, error!);
            }
            else if (!CapacitySloMetrics.Contains(threshold!.Metric) || threshold.Operator is ThresholdOperator.GreaterThan or ThresholdOperator.GreaterOrEqual)
            {
                Error(path, $"'{capacity.Slo[i]}' cannot judge a capacity step: use an upper bound on latency (p(99) < 300ms, max, mean) or errorRate (errorRate < 1%).");
            }
        }

        var start = capacity.StartRate ?? load.Rate;
        if (start is null)
        {
            Error(CapacityPath.Key("startRate"), "is required when load.rate is not given: the first step's rate, for example 25/s.");
        }
        else if (start.Value.PerSecond <= 0)
        {
            Error(capacity.StartRate is null ? LoadPath.Key("rate") : CapacityPath.Key("startRate"), "must be positive.");
        }

        if (capacity.MaxRate is { } max)
        {
            if (max.PerSecond > LoadCaps.MaxRatePerSecond)
            {
                Error(CapacityPath.Key("maxRate"), $"{max} is above the cap of {LoadCaps.MaxRatePerSecond:N0}/s.");
            }
            else if (start is { } s && s.PerSecond > max.PerSecond)
            {
                Error(CapacityPath.Key("maxRate"), $"{max} is below the start rate {s}.");
            }
        }

        if (capacity.Growth is <= 1 or > 10 || !double.IsFinite(capacity.Growth))
        {
            Error(CapacityPath.Key("growth"), $"{capacity.Growth.ToString("0.###", CultureInfo.InvariantCulture)} is outside (1, 10]: each geometric step multiplies the rate by it.");
        }

        if (capacity.Precision is < 0.01 or > 0.5 || !double.IsFinite(capacity.Precision))
        {
            Error(CapacityPath.Key("precision"), $"{capacity.Precision.ToString("0.####", CultureInfo.InvariantCulture)} is outside [0.01, 0.5]; write a fraction such as 0.05 or a percentage such as \"5%\".");
        }

        if (capacity.MaxSteps is < 1 or > LoadCaps.MaxCapacitySteps)
        {
            Error(CapacityPath.Key("maxSteps"), $"{capacity.MaxSteps} is outside 1..{LoadCaps.MaxCapacitySteps}.");
        }

        if (capacity.MaxLag is { } lag && lag <= TimeSpan.Zero)
        {
            Error(CapacityPath.Key("maxLag"), "must be positive.");
        }

        if (capacity.AutoStopErrorRate is <= 0 or > 1)
        {
            Error(CapacityPath.Key("autostop").Key("errorRate"), "must be in (0, 1] (for example 50%).");
        }

        if (capacity.AutoStopLatencyFactor < 1 || !double.IsFinite(capacity.AutoStopLatencyFactor))
        {
            Error(CapacityPath.Key("autostop").Key("latencyFactor"), "must be at least 1 (a multiple of the strictest latency SLO).");
        }

        CheckCapacitySize(capacity);
    }

    /// <summary>Refuses a search that could exceed the run caps at its worst (every step at maxRate), showing the arithmetic.</summary>
    private void CheckCapacitySize(CapacitySpec capacity)
    {
        if (capacity.MaxRate is not { } max || capacity.MaxSteps is < 1 or > LoadCaps.MaxCapacitySteps)
        {
            return;
        }

        var variants = Math.Max(1, _w.Sweep?.Dimensions.Aggregate(1L, (product, d) => product * Math.Max(1, d.Values.Count)) ?? 1);
        var perVariant = variants > 1 ? $" × {variants} sweep variants" : "";
        var load = _w.Load;
        var requests = capacity.MaxSteps * max.PerSecond * (load.Duration + load.Warmup).TotalSeconds * variants;
        if (requests > LoadCaps.MaxTotalRequests)
        {
            Error(CapacityPath.Key("maxRate"), $"the search could send about {requests:N0} requests ({capacity.MaxSteps} steps × {max} × ({DurationText.Format(load.Warmup)} warm-up + {DurationText.Format(load.Duration)}){perVariant}), above the cap of {LoadCaps.MaxTotalRequests:N0}.");
        }

        var time = (load.Duration + load.Warmup) * (capacity.MaxSteps * variants);
        if (time > LoadCaps.MaxRunLoadTime)
        {
            Error(CapacityPath.Key("maxSteps"), $"{capacity.MaxSteps} steps × ({DurationText.Format(load.Warmup)} warm-up + {DurationText.Format(load.Duration)}){perVariant} = {DurationText.Format(time)} of load, above the cap of {DurationText.Format(LoadCaps.MaxRunLoadTime)} per run.");
        }
    }
}
