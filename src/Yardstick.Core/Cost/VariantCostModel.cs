using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Modeled cost of one sweep variant: the workload's cost section adjusted to what the variant sets (instance memory,
/// always-ready instances), priced over that variant's own measured shards.
/// </summary>
public static class VariantCostModel
{
    /// <summary>
    /// The cost section as billed under <paramref name="variant"/>: an <c>instanceMemoryMB</c> sweep bills its memory, an
    /// <c>alwaysReady</c> sweep its always-ready instance count (summed over groups; 0 bills on-demand Flex). Other
    /// parameters change how the app behaves, not the price list, so their effect reaches the bill through the
    /// measurements (durations, instances).
    /// </summary>
    public static CostSpec SpecFor(CostSpec spec, SweepSpec? sweep, string variant)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (sweep is null || string.IsNullOrEmpty(variant))
        {
            return spec;
        }

        var flex = spec.Plan is HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady;
        if (!flex)
        {
            return spec;
        }

        // A grid cell may set several price inputs (memory and always-ready): each adjusts the bill in turn.
        foreach (var setting in SweepCell.SettingsOf(sweep, variant))
        {
            spec = TargetSetting.Parse(setting.Parameter, setting.Value) switch
            {
                InstanceMemorySetting memory => spec with { InstanceMemoryMB = memory.MemoryMB },
                AlwaysReadyTargetSetting ready => ready.Groups.Sum(g => g.InstanceCount) is var count and > 0
                    ? spec with { Plan = HostingPlan.FlexConsumptionAlwaysReady, AlwaysReadyInstances = count }
                    : spec with { Plan = HostingPlan.FlexConsumption, AlwaysReadyInstances = 0 },
                _ => spec,
            };
        }

        return spec;
    }
}
