using Yardstick.Cli.Commands;
using Yardstick.Cli.Hosting;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Tests.Hosting;

/// <summary>
/// <see cref="RunExecution.HostFor"/>: a run's own process takes every shard of a round at once unless told otherwise;
/// <see cref="RunExecution.ShardGroupsInProcess"/>: and then runs a wide round's groups as one activity each.
/// </summary>
public sealed class RunHostSizingTests
{
    [Theory]
    [InlineData(1, null, null)]
    [InlineData(64, null, null)]
    [InlineData(65, null, 65)]
    [InlineData(256, null, 256)]
    [InlineData(256, 8, 8)]
    [InlineData(4, 100, 100)]
    public void HostFor_RaisesActivitySlotsToTheShardCount_UnlessMaxActivitiesIsGiven(int shards, int? given, int? expected)
    {
        var workload = WorkloadLoader.LoadText(
            $"""
            name: wide
            target:
              url: http://127.0.0.1:5000/api/hello
            load:
              rate: {shards * 10}/s
              duration: 1s
              shards: {shards}
            """,
            "wide.yaml");
        var args = new RunArguments { File = new FileInfo("wide.yaml"), Environment = new CliEnvironmentOptions { MaxActivities = given } };

        Assert.Equal(expected, RunExecution.HostFor(args, workload).MaxActivities);
    }

    /// <summary>
    /// Groups run in-process only when this process takes every shard anyway; <c>--max-activities</c> (how a run leaves
    /// shards to <c>yardstick worker</c> processes) keeps one activity per shard for any process on the hub to take.
    /// </summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData(1, false)]
    [InlineData(256, false)]
    public void ShardGroupsInProcess_OnlyWithoutMaxActivities(int? given, bool expected)
    {
        var args = new RunArguments { File = new FileInfo("wide.yaml"), Environment = new CliEnvironmentOptions { MaxActivities = given } };

        Assert.Equal(expected, RunExecution.ShardGroupsInProcess(args));
    }
}
