using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Cost.CostTestData;

namespace Yardstick.Core.Tests.Cost;

// Premium: instances × (vCPU-s + GB-s) × wall time, no grant (pricing page); rates $0.173 per vCPU-hour and
// $0.0123 per GB-hour East US, third-party and UNCONFIRMED (AZURE-FACTS §1).
public sealed class PremiumBillingTests
{
    [Fact]
    public void Estimate_OneEp1InstanceForAnHour_CostsVcpuPlusMemoryHours()
    {
        // 1 × (1 vCPU × $0.173 + 3.5 GB × $0.0123) = $0.21605. Tolerance 1e-9 USD.
        var usage = new UsageProfile { Executions = 1000, WallDuration = TimeSpan.FromHours(1), Instances = [Instance("p0", 1000, Ms(0, 10))] };
        var spec = new CostSpec { Plan = HostingPlan.Premium, PremiumInstances = 1, PremiumVcpu = 1, PremiumMemoryGB = 3.5 };

        var estimate = ModeledCost.Estimate(spec, usage, Catalog);

        Assert.Equal(0.21605, estimate.TotalUsd, 9);
        Assert.Equal(1, estimate.LineItems.Single(l => l.Meter == PricingMeters.VcpuDuration).Quantity, 9); // vCPU-hours
        Assert.Equal(3.5, estimate.LineItems.Single(l => l.Meter == PricingMeters.MemoryDuration).Quantity, 9); // GB-hours
        Assert.All(estimate.LineItems, l => Assert.True(l.Unconfirmed));
    }

    [Fact]
    public void Quantities_MoreInstancesServedThanConfigured_BillsAllAndSaysSo()
    {
        var usage = new UsageProfile { WallDuration = TimeSpan.FromSeconds(100), Instances = [Instance("a", 1, Ms(0, 1)), Instance("b", 1, Ms(0, 1))] };

        var q = PremiumBilling.Quantities(usage, 1, 1, 3.5);

        Assert.Equal(200, q.Meters.Single(m => m.Meter == PricingMeters.VcpuDuration).BaseQuantity, 9);
        Assert.Contains(q.Notes, n => n.Contains("upper bound", StringComparison.Ordinal));
    }
}
