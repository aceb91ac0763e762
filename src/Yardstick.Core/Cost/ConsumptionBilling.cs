namespace Yardstick.Core.Cost;

/// <summary>
/// Consumption (Y1) billing: each execution is billed for its own memory × time, plus a per-execution fee.
/// Source (AZURE-FACTS §1): azure.microsoft.com/pricing/details/functions, quoted in full by the Azure Stack
/// usage FAQ (MicrosoftDocs, 2018-03-09): "memory rounded up to the nearest 128 MB, up to the maximum memory
/// size of 1,536 MB, with execution time rounded up to the nearest 1 ms. The minimum execution time and memory
/// for a single function execution is 100 ms and 128 MB". Example 160 MB → 256 MB:
/// MicrosoftDocs articles/azure-functions/functions-consumption-costs.md (ms.date 9/20/2019).
/// </summary>
public static class ConsumptionBilling
{
    public const int MinimumDurationMs = 100;
    public const int MemoryStepMB = 128;
    public const int MinimumMemoryMB = 128;
    public const int MaximumMemoryMB = 1536;

    /// <summary>Memory rounded up to the next 128 MB, at least 128 MB and at most 1,536 MB.</summary>
    public static int BilledMemoryMB(int observedMemoryMB)
    {
        var rounded = (int)Math.Ceiling(Math.Max(observedMemoryMB, 0) / (double)MemoryStepMB) * MemoryStepMB;
        return Math.Clamp(rounded, MinimumMemoryMB, MaximumMemoryMB);
    }

    /// <summary>Execution time rounded up to the next whole millisecond, at least 100 ms.</summary>
    public static double BilledDurationMs(double durationMs) =>
        Math.Max(MinimumDurationMs, Math.Ceiling(Math.Max(durationMs, 0)));

    /// <summary>GB-s one execution is billed for (1 GB = 1,024 MB, as in the metric's MB-ms ÷ 1,024,000).</summary>
    public static double GbSeconds(double durationMs, int observedMemoryMB) =>
        BilledMemoryMB(observedMemoryMB) / 1024.0 * BilledDurationMs(durationMs) / 1000.0;

    /// <summary>
    /// Billed quantities for a run: GB-s on <see cref="PricingMeters.ExecutionTime"/> and executions on
    /// <see cref="PricingMeters.Executions"/>. <paramref name="memoryMB"/> is the memory each execution is
    /// taken to use (memory is sampled per process and concurrent executions share it, so this is the
    /// caller's estimate).
    /// </summary>
    public static BillingQuantities Quantities(UsageProfile usage, int memoryMB)
    {
        var notes = new List<string>();
        var billedMemory = BilledMemoryMB(memoryMB);
        if (billedMemory != memoryMB)
        {
            notes.Add($"consumption: {memoryMB} MB per execution is billed as {billedMemory} MB (128 MB steps, 128–1,536 MB)");
        }

        double gbSeconds;
        var samples = usage.DurationSamples;
        if (samples > 0)
        {
            var sampleGbSeconds = usage.Durations.Sum(b => b.Count * GbSeconds(b.DurationMs, memoryMB));

            // The durations may be a sample (or exclude failed exchanges): scale their mean to every execution.
            gbSeconds = sampleGbSeconds / samples * usage.Executions;
            notes.Add($"consumption: execution time from {usage.DurationSource}, each execution ≥ 100 ms, rounded up to 1 ms");
        }
        else
        {
            gbSeconds = usage.Executions * GbSeconds(MinimumDurationMs, memoryMB);
            if (usage.Executions > 0)
            {
                notes.Add("consumption: no execution durations were measured; each execution is billed at the 100 ms minimum (a lower bound)");
            }
        }

        return new BillingQuantities(
            [new MeterQuantity(PricingMeters.ExecutionTime, gbSeconds), new MeterQuantity(PricingMeters.Executions, usage.Executions)],
            notes);
    }
}

/// <summary>A billed quantity in the meter's base unit (GB-s, execution or vCPU-s).</summary>
public readonly record struct MeterQuantity(string Meter, double BaseQuantity);

/// <summary>What a plan's billing rule produced: quantities per meter and notes on how.</summary>
public sealed record BillingQuantities(IReadOnlyList<MeterQuantity> Meters, IReadOnlyList<string> Notes);
