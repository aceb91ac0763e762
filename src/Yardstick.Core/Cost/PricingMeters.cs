using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Plan keys of the pricing catalog. The catalog groups meters the way the Azure bill does: the Flex
/// Consumption product holds both the on-demand and the always-ready meters, so both Flex workload plans
/// price from <see cref="FlexConsumption"/>.
/// </summary>
public static class PricingPlans
{
    public const string Consumption = "consumption";
    public const string FlexConsumption = "flexConsumption";
    public const string Premium = "premium";

    public static IReadOnlyList<string> All { get; } = [Consumption, FlexConsumption, Premium];

    /// <summary>The catalog plan a workload's hosting plan is priced from.</summary>
    public static string For(HostingPlan plan) => plan switch
    {
        HostingPlan.Consumption => Consumption,
        HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady => FlexConsumption,
        HostingPlan.Premium => Premium,
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan, "unknown hosting plan"),
    };
}

/// <summary>
/// Meter keys of the pricing catalog (stable identifiers of ours; the Retail Prices API names are in
/// <c>PricingCatalogBuilder</c>). Each meter has one base unit the billing rules compute quantities in.
/// </summary>
public static class PricingMeters
{
    // Consumption (Y1): "Standard Execution Time" and (probably) "Standard Total Executions".
    public const string ExecutionTime = "executionTime";
    public const string Executions = "executions";

    // Flex Consumption (FC1), sku "On Demand".
    public const string OnDemandExecutionTime = "onDemandExecutionTime";
    public const string OnDemandExecutions = "onDemandExecutions";

    // Flex Consumption (FC1), sku "Always Ready".
    public const string AlwaysReadyBaseline = "alwaysReadyBaseline";
    public const string AlwaysReadyExecutionTime = "alwaysReadyExecutionTime";
    public const string AlwaysReadyExecutions = "alwaysReadyExecutions";

    // Premium (EP): "Premium vCPU Duration" and "Premium Memory Duration".
    public const string VcpuDuration = "vcpuDuration";
    public const string MemoryDuration = "memoryDuration";

    /// <summary>Known meters per catalog plan, with the base unit each is computed in.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ByPlan { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [PricingPlans.Consumption] = new Dictionary<string, string>
            {
                [ExecutionTime] = PricingUnits.GbSecond,
                [Executions] = PricingUnits.Execution,
            },
            [PricingPlans.FlexConsumption] = new Dictionary<string, string>
            {
                [OnDemandExecutionTime] = PricingUnits.GbSecond,
                [OnDemandExecutions] = PricingUnits.Execution,
                [AlwaysReadyBaseline] = PricingUnits.GbSecond,
                [AlwaysReadyExecutionTime] = PricingUnits.GbSecond,
                [AlwaysReadyExecutions] = PricingUnits.Execution,
            },
            [PricingPlans.Premium] = new Dictionary<string, string>
            {
                [VcpuDuration] = PricingUnits.VcpuSecond,
                [MemoryDuration] = PricingUnits.GbSecond,
            },
        };
}

/// <summary>
/// Units a catalog price may be quoted in, each a multiple of a base unit (GB-s, execution, vCPU-s).
/// Quantities on a bill are in the quoted unit, so quantity × unit price = USD.
/// </summary>
public static class PricingUnits
{
    public const string GbSecond = "GB-s";
    public const string GbHour = "GB-hour";
    public const string VcpuSecond = "vCPU-s";
    public const string VcpuHour = "vCPU-hour";
    public const string Execution = "execution";

    /// <summary>The Retail Prices API quotes Flex executions per 10 (unit of measure <c>10</c>).</summary>
    public const string TenExecutions = "10 executions";
    public const string MillionExecutions = "1M executions";

    private static readonly Dictionary<string, (string BaseUnit, double BaseUnits)> Units = new()
    {
        [GbSecond] = (GbSecond, 1),
        [GbHour] = (GbSecond, 3600),
        [VcpuSecond] = (VcpuSecond, 1),
        [VcpuHour] = (VcpuSecond, 3600),
        [Execution] = (Execution, 1),
        [TenExecutions] = (Execution, 10),
        [MillionExecutions] = (Execution, 1_000_000),
    };

    public static IReadOnlyCollection<string> All => Units.Keys;

    public static bool IsKnown(string unit) => Units.ContainsKey(unit);

    /// <summary>The base unit of <paramref name="unit"/> (for example <c>execution</c> for <c>10 executions</c>).</summary>
    public static string BaseUnitOf(string unit) => Lookup(unit).BaseUnit;

    /// <summary>How many base units one <paramref name="unit"/> holds (10 for <c>10 executions</c>, 3600 for <c>GB-hour</c>).</summary>
    public static double BaseUnitsPer(string unit) => Lookup(unit).BaseUnits;

    private static (string BaseUnit, double BaseUnits) Lookup(string unit) =>
        Units.TryGetValue(unit, out var u)
            ? u
            : throw new ArgumentException($"unknown pricing unit '{unit}' (known: {string.Join(", ", Units.Keys)})", nameof(unit));
}
