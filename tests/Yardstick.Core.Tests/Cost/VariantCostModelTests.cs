using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

public sealed class VariantCostModelTests
{
    private static readonly CostSpec Flex = new() { Plan = HostingPlan.FlexConsumption, Region = "eastus", InstanceMemoryMB = 2048 };

    private static SweepSpec Sweep(string parameter) => new() { Parameter = parameter, Values = ["x"] };

    [Theory]
    [InlineData("512", 512)]
    [InlineData("4096", 4096)]
    public void SpecFor_InstanceMemorySweep_BillsTheVariantsMemory(string value, int memoryMB)
    {
        Assert.Equal(Flex with { InstanceMemoryMB = memoryMB }, VariantCostModel.SpecFor(Flex, Sweep("instanceMemoryMB"), value));
    }

    [Theory]
    [InlineData("2", HostingPlan.FlexConsumptionAlwaysReady, 2)]
    [InlineData("http=1,durable=2", HostingPlan.FlexConsumptionAlwaysReady, 3)]
    [InlineData("0", HostingPlan.FlexConsumption, 0)]
    public void SpecFor_AlwaysReadySweep_BillsTheBaselineOfTheVariantsInstances(string value, HostingPlan plan, int instances)
    {
        var spec = VariantCostModel.SpecFor(Flex, Sweep("alwaysReady"), value);

        Assert.Equal((plan, instances), (spec.Plan, spec.AlwaysReadyInstances));
    }

    [Theory]
    [InlineData("appSetting:FEATURE", "on")]
    [InlineData("perInstanceConcurrency", "4")]
    [InlineData("maximumInstanceCount", "100")]
    public void SpecFor_SettingsThatDoNotChangeThePriceList_LeaveTheSpec(string parameter, string value)
    {
        Assert.Same(Flex, VariantCostModel.SpecFor(Flex, Sweep(parameter), value));
    }
}
