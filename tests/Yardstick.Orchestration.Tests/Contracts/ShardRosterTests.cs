using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Tests.Contracts;

/// <summary>The compact roster of a run's measured shards: it expands back to every shard, and stays small however many fail.</summary>
public sealed class ShardRosterTests
{
    private const string RunId = "20260101-000000-abcdef";

    [Fact]
    public void Expand_AfterFrom_GivesEveryShardOfEveryRoundAndVariant_FailedOnesWithTheirReasons()
    {
        var plan = Plan(shards: 3, repeat: 2, variants: ["A", "B"]);
        var measured = AllShards(plan).Select(s => s.Round == 1 && s.Variant == "B" && s.ShardIndex == 2 ? s with { FailureReason = "boom" } : s).ToList();

        var expanded = ShardRoster.From(plan, measured).Expand(RunId);

        Assert.Equal(measured.Select(s => (s.Key, s.Round, s.Variant, s.ShardIndex, s.ResultRef, s.FailureReason)),
            expanded.Select(s => (s.Key, s.Round, s.Variant, s.ShardIndex, s.ResultRef, s.FailureReason)));
        Assert.All(expanded, s => Assert.Equal(RunPhase.Measured, s.Phase));
    }

    [Fact]
    public void From_ManyFailures_KeepsTheFirstReasons_AndMarksTheRestFailed()
    {
        var plan = Plan(shards: 20, repeat: 1, variants: [""]);
        var measured = AllShards(plan).Select(s => s.ShardIndex % 2 == 0 ? s with { FailureReason = $"reason {s.ShardIndex}" } : s).ToList();

        var roster = ShardRoster.From(plan, measured);
        var expanded = roster.Expand(RunId);

        Assert.Equal(ShardRoster.MaxReasons, roster.Failed.Count);
        Assert.Equal(10 - ShardRoster.MaxReasons, roster.OtherFailedSlots.Count);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i % 2 == 0), expanded.Where(s => !s.Succeeded).Select(s => s.ShardIndex));
        Assert.Equal("reason 0", expanded[0].FailureReason);
        Assert.Equal(ShardRoster.UnlistedReason, expanded[18].FailureReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void From_256Shards_PayloadStaysFarBelowDurablesLargeMessageLimit(bool allFail)
    {
        var plan = Plan(shards: 256, repeat: 1, variants: [""]);
        var measured = AllShards(plan).Select(s => allFail ? s with { FailureReason = "shard got no response: 20 attempts, 20 connect failures, 0 timeouts (e.g. ConnectFailed: connect to 127.0.0.1:1 failed: ConnectionRefused)" } : s);
        var listed = YardstickJson.ToUtf8(measured.ToList()).Length;

        var compact = YardstickJson.ToUtf8(ShardRoster.From(plan, measured)).Length;

        // Every summary listed: ~60 KB (the 45 KB limit is what made persist take two minutes); the roster: a few KB.
        Assert.True(listed > 45_000, $"listed {listed} B");
        Assert.True(compact < 8_000, $"roster {compact} B");
    }

    private static RunPlan Plan(int shards, int repeat, IReadOnlyList<string> variants) =>
        new() { RunId = RunId, Workload = "w", Shards = shards, Repeat = repeat, Variants = variants };

    private static IEnumerable<ShardSummary> AllShards(RunPlan plan) =>
        from round in Enumerable.Range(0, plan.Repeat)
        from variant in plan.Variants
        from shard in Enumerable.Range(0, plan.Shards)
        select new ShardSummary
        {
            Key = ShardKey.Of(RunId, RunPhase.Measured, round, variant, shard),
            Phase = RunPhase.Measured,
            Round = round,
            Variant = variant,
            ShardIndex = shard,
            ResultRef = ShardResultNames.For(RunPhase.Measured, round, variant, shard),
        };
}
