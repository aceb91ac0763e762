using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>One load-generating activity execution of the benchmark itself (Functions host).</summary>
/// <param name="Duration">How long the activity generated load.</param>
public readonly record struct BenchmarkExecution(TimeSpan Duration);

/// <summary>The benchmark's own cost, shown apart from the target's.</summary>
/// <param name="TotalUsd">The cost.</param>
/// <param name="Note">How it was computed.</param>
public sealed record BenchmarkCostEstimate(double TotalUsd, string Note);

/// <summary>
/// What generating the load cost on the benchmarking app (Flex Consumption on demand): each shard activity billed as
/// its own execution of its duration × the app's instance memory, plus the executions fee. An upper bound: shards that
/// run at once on one instance share its billed time. Orchestration, storage and egress are not counted.
/// </summary>
public static class BenchmarkCost
{
    public static BenchmarkCostEstimate Estimate(IReadOnlyList<BenchmarkExecution> executions, int instanceMemoryMB, string region, PricingCatalog catalog)
    {
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = region, InstanceMemoryMB = instanceMemoryMB };
        var memoryGb = instanceMemoryMB / 1024.0;
        var gbSeconds = executions.Sum(e => FlexBilling.BilledWindowMicros((long)Math.Ceiling(e.Duration.TotalMicroseconds)) / 1e6 * memoryGb);
        var notes = new List<string>();
        var items = ModeledCost.Price(
            spec,
            [new MeterQuantity(PricingMeters.OnDemandExecutionTime, gbSeconds), new MeterQuantity(PricingMeters.OnDemandExecutions, executions.Count)],
            catalog,
            allowDefaultPrices: true,
            notes);
        var total = items.Sum(i => i.Usd);
        var seconds = executions.Sum(e => e.Duration.TotalSeconds);
        return new BenchmarkCostEstimate(
            total,
            $"benchmark's own cost: {executions.Count} load activity execution(s), {seconds:0.#} s at {instanceMemoryMB} MB on Flex Consumption on demand in {PricingCatalog.NormalizeRegion(region)} "
            + "(an upper bound: concurrent shards on one instance share its billed time; orchestration and storage not counted)");
    }
}
