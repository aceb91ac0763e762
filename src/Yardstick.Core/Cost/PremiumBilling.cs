namespace Yardstick.Core.Cost;

/// <summary>
/// Premium (EP) billing: every running instance is billed per second for its vCPUs and memory, busy or not;
/// there is no free grant and no per-execution fee. Source (AZURE-FACTS §1): the pricing page ("billed per
/// second on vCPU-s and GB-s"); meters "Premium vCPU Duration" (1 Hour) and "Premium Memory Duration"
/// (1 GiB Hour) from a third-party Retail Prices API reading.
/// </summary>
public static class PremiumBilling
{
    /// <summary>
    /// vCPU-s and GB-s for the run: instances × size × wall time. Instances are the larger of the configured
    /// count and the instances seen serving (a scaled-out app bills every instance; taking them for the whole
    /// run is an upper bound).
    /// </summary>
    public static BillingQuantities Quantities(UsageProfile usage, int configuredInstances, double vcpu, double memoryGb)
    {
        var notes = new List<string>();
        var observed = usage.Instances.Count;
        var instances = Math.Max(Math.Max(configuredInstances, observed), 1);
        if (observed > configuredInstances)
        {
            notes.Add($"premium: {observed} instances served, more than the {configuredInstances} configured; all are billed for the whole run (an upper bound)");
        }

        var seconds = usage.WallDuration.TotalSeconds;
        notes.Add($"premium: {instances} instance(s) × ({vcpu} vCPU + {memoryGb} GB) × {seconds:0.###} s wall time");
        return new BillingQuantities(
            [
                new MeterQuantity(PricingMeters.VcpuDuration, instances * vcpu * seconds),
                new MeterQuantity(PricingMeters.MemoryDuration, instances * memoryGb * seconds),
            ],
            notes);
    }
}
