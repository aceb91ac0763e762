using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Load;

public sealed class ShardPlannerTests
{
    private static readonly DateTimeOffset StartAt = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Workload Open(int shards, LoadSpec? load = null) => new()
    {
        Name = "hello",
        Target = new TargetSpec
        {
            Url = "http://127.0.0.1:5080/api/hello?code=${env:FUNC_KEY}",
            Method = "POST",
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ${env:TOKEN}", ["Content-Type"] = "application/json" },
            Body = "{}",
            InstanceHeader = "x-served-by",
        },
        Load = (load ?? new LoadSpec { Rate = Rate.FromPerSecond(300), Duration = TimeSpan.FromSeconds(10), Warmup = TimeSpan.FromSeconds(3) }) with { Shards = shards },
    };

    [Fact]
    public void Plan_OpenConstantRate_SplitsConnectionsAndInFlightWithDefaults()
    {
        var plans = ShardPlanner.Plan(Open(3), "run-1", RunPhase.Measured, 0, "", StartAt, seed: 99);

        Assert.Equal(3, plans.Count);
        Assert.Equal([0, 1, 2], plans.Select(p => p.ShardIndex));
        Assert.All(plans, p =>
        {
            Assert.Equal(3, p.ShardCount);
            Assert.Equal(StartAt, p.StartAt);
            Assert.Equal(TimeSpan.FromSeconds(10), p.Duration);
            Assert.Equal(LoadModel.Open, p.Model);
            Assert.Equal(ArrivalCurve.Constant(Rate.FromPerSecond(300), TimeSpan.FromSeconds(10)).Stages, p.Arrivals!.Stages);
            Assert.Equal(300, p.Arrivals.StartRate.PerSecond);
            Assert.Equal(TimeSpan.FromSeconds(10), p.RequestTimeout);
            Assert.Equal("hello", p.Workload);
        });

        // Defaults (LoadSpec docs): maxInFlight 1000; connections min(maxInFlight, 256). Remainders go to the first shards.
        Assert.Equal([334, 333, 333], plans.Select(p => p.MaxInFlight));
        Assert.Equal([86, 85, 85], plans.Select(p => p.Connections));
        Assert.Equal(3000, plans.Sum(p => ArrivalSchedule.CountArrivals(p.Arrivals!, p.ShardIndex, p.ShardCount)));
    }

    [Fact]
    public void Plan_TimerSlack_ReachesEveryShard_AndDefaultsToNone()
    {
        var load = new LoadSpec { Rate = Rate.FromPerSecond(300), Duration = TimeSpan.FromSeconds(10), TimerSlack = TimeSpan.FromMilliseconds(0.5) };

        var slack = ShardPlanner.Plan(Open(2, load), "run-1", RunPhase.Measured, 0, "", StartAt, 1);
        var none = ShardPlanner.Plan(Open(2), "run-1", RunPhase.Measured, 0, "", StartAt, 1);

        Assert.All(slack, p => Assert.Equal(TimeSpan.FromMicroseconds(500), p.TimerSlack));
        Assert.All(none, p => Assert.Equal(TimeSpan.Zero, p.TimerSlack));
    }

    [Fact]
    public void Plan_Request_KeepsSecretReferencesUnresolved()
    {
        var plan = ShardPlanner.Plan(Open(1), "run-1", RunPhase.Measured, 0, "", StartAt, 1)[0];

        Assert.Equal("POST", plan.Request.Method);
        Assert.Equal("http://127.0.0.1:5080/api/hello?code=${env:FUNC_KEY}", plan.Request.Url);
        Assert.Contains(new HeaderValue("Authorization", "Bearer ${env:TOKEN}"), plan.Request.Headers);
        Assert.Contains(new HeaderValue("Content-Type", "application/json"), plan.Request.Headers);
        Assert.Equal("{}", plan.Request.Body);
        Assert.Equal("x-served-by", plan.Request.InstanceHeader);
    }

    [Fact]
    public void Plan_ClosedModel_SplitsUsersWithRemainderFirst_OneConnectionPerUser()
    {
        var load = new LoadSpec { Model = LoadModel.Closed, Concurrency = 10, Duration = TimeSpan.FromSeconds(5), ThinkTime = TimeSpan.FromMilliseconds(20) };

        var plans = ShardPlanner.Plan(Open(3, load), "run-1", RunPhase.Measured, 0, "", StartAt, 5);

        Assert.Equal([4, 3, 3], plans.Select(p => p.Concurrency));
        Assert.Equal([4, 3, 3], plans.Select(p => p.Connections));
        Assert.All(plans, p =>
        {
            Assert.Null(p.Arrivals);
            Assert.Equal(TimeSpan.FromMilliseconds(20), p.ThinkTime);
        });
    }

    [Fact]
    public void Plan_ClosedModel_FewerUsersThanShards_ThrowsNamingConcurrency()
    {
        var load = new LoadSpec { Model = LoadModel.Closed, Concurrency = 2, Duration = TimeSpan.FromSeconds(5) };

        var e = Assert.Throws<InputException>(() => ShardPlanner.Plan(Open(3, load), "run-1", RunPhase.Measured, 0, "", StartAt, 5));

        Assert.Equal("load.concurrency", e.Field);
    }

    [Fact]
    public void Plan_ExplicitConnections_AreSplit()
    {
        var load = new LoadSpec { Rate = Rate.FromPerSecond(100), Duration = TimeSpan.FromSeconds(5), Connections = 10, MaxInFlight = 50 };

        var plans = ShardPlanner.Plan(Open(4, load), "run-1", RunPhase.Measured, 0, "", StartAt, 5);

        Assert.Equal([3, 3, 2, 2], plans.Select(p => p.Connections));
        Assert.Equal([13, 13, 12, 12], plans.Select(p => p.MaxInFlight));
    }

    [Fact]
    public void Plan_Warmup_UsesWarmupDuration_AndZeroWarmupPlansNothing()
    {
        var warmup = ShardPlanner.Plan(Open(2), "run-1", RunPhase.Warmup, 0, "", StartAt, 5);
        var none = ShardPlanner.Plan(Open(2) with { Load = Open(2).Load with { Warmup = TimeSpan.Zero } }, "run-1", RunPhase.Warmup, 0, "", StartAt, 5);

        Assert.All(warmup, p =>
        {
            Assert.Equal(RunPhase.Warmup, p.Phase);
            Assert.Equal(TimeSpan.FromSeconds(3), p.Duration);
            Assert.Equal(TimeSpan.FromSeconds(3), p.Arrivals!.Duration);
        });
        Assert.Empty(none);
    }

    [Fact]
    public void Plan_Stages_CarryTheCurve_AndDurationIsTheirSum()
    {
        var load = new LoadSpec
        {
            StartRate = Rate.FromPerSecond(10),
            Stages = [new StageSpec(TimeSpan.FromSeconds(4), Rate.FromPerSecond(50)), new StageSpec(TimeSpan.FromSeconds(6), Rate.FromPerSecond(50))],
            Arrivals = ArrivalProcess.Poisson,
            Warmup = TimeSpan.FromSeconds(2),
        };

        var measured = ShardPlanner.Plan(Open(2, load), "run-1", RunPhase.Measured, 1, "mem-2048", StartAt, 5);
        var warmup = ShardPlanner.Plan(Open(2, load), "run-1", RunPhase.Warmup, 0, "mem-2048", StartAt, 5);

        Assert.All(measured, p =>
        {
            Assert.Equal(TimeSpan.FromSeconds(10), p.Duration);
            Assert.Equal(10, p.Arrivals!.StartRate.PerSecond);
            Assert.Equal(load.Stages, p.Arrivals.Stages);
            Assert.Equal(ArrivalProcess.Poisson, p.Arrivals.Process);
            Assert.Equal("mem-2048", p.Variant);
            Assert.Equal(1, p.Round);
        });

        // Warm-up cuts the ramp where it ends: 10 → 50 over 4 s is at 30/s after 2 s.
        var cut = Assert.Single(warmup[0].Arrivals!.Stages);
        Assert.Equal(new StageSpec(TimeSpan.FromSeconds(2), Rate.FromPerSecond(30)), cut);
    }

    [Fact]
    public void Plan_Seeds_AreDeterministicAndDistinct()
    {
        var a = ShardPlanner.Plan(Open(4), "run-1", RunPhase.Measured, 0, "", StartAt, 1234);
        var b = ShardPlanner.Plan(Open(4), "run-1", RunPhase.Measured, 0, "", StartAt, 1234);
        var nextRound = ShardPlanner.Plan(Open(4), "run-1", RunPhase.Measured, 1, "", StartAt, 1234);
        var otherVariant = ShardPlanner.Plan(Open(4), "run-1", RunPhase.Measured, 0, "b", StartAt, 1234);
        var otherSeed = ShardPlanner.Plan(Open(4), "run-1", RunPhase.Measured, 0, "", StartAt, 1235);

        Assert.Equal(a.Select(p => p.Seed), b.Select(p => p.Seed));
        var all = a.Concat(nextRound).Concat(otherVariant).Concat(otherSeed).Select(p => p.Seed).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());

        // Pinned so a change of derivation (which would change every stored Poisson run) is noticed.
        Assert.Equal(-1900929957176039705L, a[2].Seed);
    }

    [Fact]
    public void Plan_Keys_AreStableAndDistinct()
    {
        var plans = ShardPlanner.Plan(Open(2), "run-1", RunPhase.Measured, 3, "", StartAt, 1);

        Assert.Equal(["run-1/measured/r03/s000", "run-1/measured/r03/s001"], plans.Select(p => p.Key));
    }
}
