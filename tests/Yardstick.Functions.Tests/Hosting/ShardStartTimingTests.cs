using System.Text.Json;
using Yardstick.Functions.Tests.Infra;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Functions.Tests.Hosting;

/// <summary>
/// The Functions host's shard start lead time rests on host.json's queue polling interval and shards per instance:
/// a change there must change the arithmetic (docs/deploy.md → Scale) with it.
/// </summary>
public sealed class ShardStartTimingTests
{
    [Fact]
    public void HostJson_PollingIntervalAndActivitiesPerInstance_AreTheOnesTheStartDelayAssumes()
    {
        using var host = JsonDocument.Parse(RepoPaths.ReadText("host.json"));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal(ShardStartTiming.FunctionsQueuePollingInterval, TimeSpan.Parse(durable.GetProperty("storageProvider").GetProperty("maxQueuePollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ShardStartTiming.FunctionsShardsPerInstance, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(4, 5)] // one instance: two 2 s polls + 1 s
    [InlineData(5, 20)] // another instance: + the 15 s scale-out allowance
    [InlineData(256, 20)]
    public void ForFunctions_CoversPollingAndScaleOut(int shards, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ShardStartTiming.ForFunctions(shards));

    [Fact]
    public void ForFunctions_StartDelay_ExceedsTwoPollsAndTheTolerance()
    {
        Assert.True(ShardStartTiming.ForFunctions(1) > 2 * ShardStartTiming.FunctionsQueuePollingInterval);
        Assert.True(ShardStartTiming.DefaultTolerance < ShardStartTiming.ForFunctions(1));
    }

    [Theory]
    [InlineData(1, 400)]
    [InlineData(16, 400)]
    [InlineData(64, 1600)]
    [InlineData(256, 6400)]
    public void ForLocal_GrowsWithTheShardsBeyondSixteen(int shards, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ShardStartTiming.ForLocal(shards));

    [Theory]
    [InlineData(1, 400)]
    [InlineData(16, 400)]
    [InlineData(17, 425)]
    [InlineData(64, 475)]
    [InlineData(256, 775)]
    public void ForLocal_GroupsInProcess_GrowsWithTheGroupsBeyondTheFirst(int shards, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ShardStartTiming.ForLocal(shards, groupsInProcess: true));
}
