using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Summaries;

public sealed class VariantSummaryBuilderTests
{
    private static ShardResult Shard(string variant, int round, long latencyMicros, long count, RunPhase phase = RunPhase.Measured, long errors = 0)
    {
        var h = LatencyHistograms.Create();
        h.RecordValueWithCount(latencyMicros, count);
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (round * 100));
        return new ShardResult
        {
            RunId = "run",
            Phase = phase,
            Round = round,
            Variant = variant,
            Duration = TimeSpan.FromSeconds(2),
            Requests = count,
            Successes = count - errors,
            Errors = new ErrorCounts { Http5xx = errors },
            Latency = HistogramCodec.Encode(h),
            ServiceTime = HistogramCodec.Encode(h),
            SchedulingLag = EncodedHistogram.Empty,
            StartedAt = start,
            EndedAt = start.AddSeconds(2),
        };
    }

    [Fact]
    public void Build_PoolsEachVariantOverItsRounds_AndIgnoresWarmup()
    {
        // Variant "30": round 0 all at 31 ms, round 1 all at 35 ms → pooled p95 from the merged histogram is 35 ms.
        var shards = new[]
        {
            Shard("0", 0, 1_000, 40), Shard("30", 0, 31_000, 40), Shard("0", 1, 2_000, 40), Shard("30", 1, 35_000, 40, errors: 2),
            Shard("30", 0, 900_000, 500, RunPhase.Warmup),
        };

        var variants = VariantSummaryBuilder.Build(["0", "30"], shards, cost: null, margin: 0.05);

        Assert.Equal(["0", "30"], variants.Select(v => v.Variant));
        var slow = variants[1];
        Assert.Equal(80, slow.Requests);
        Assert.Equal(2, slow.Errors);
        Assert.Equal(2 / 80.0, slow.ErrorRate, 12);
        Assert.Equal(2, slow.Rounds);
        Assert.InRange(slow.LatencyMs.P95, 35.0, 35.0 * 1.001);
        Assert.InRange(slow.LatencyMs.P50, 31.0, 31.0 * 1.001);

        // Throughput over the variant's own measured time: 80 requests in two 2 s turns.
        Assert.Equal(20, slow.ThroughputRps, 9);
        Assert.Null(slow.CostPerRequestUsd);

        // Without cost the front is on (p95, error rate): "0" is faster with no errors, so it alone is on it.
        Assert.Equal([true, false], variants.Select(v => v.OnParetoFront));
        Assert.Equal([true, false], variants.Select(v => v.Recommended));
    }

    [Fact]
    public void Build_CostFunction_GetsOnlyTheVariantsShards_AndItsFiguresAreReported()
    {
        var shards = new[] { Shard("512", 0, 90_000, 10), Shard("2048", 0, 20_000, 10), Shard("512", 1, 95_000, 10) };
        var seen = new Dictionary<string, int>();

        var variants = VariantSummaryBuilder.Build(["512", "2048"], shards, (variant, own) =>
        {
            seen[variant] = own.Count;
            Assert.All(own, s => Assert.Equal(variant, s.Variant));
            var perRequest = variant == "512" ? 1e-6 : 3e-6;
            return CostEstimate.FromLineItems(CostEstimate.ModeledSource, HostingPlan.FlexConsumption, "eastus", [], own.Sum(s => s.Requests), false, []) with
            {
                CostPerRequestUsd = perRequest,
                Per1MRequestsUsd = perRequest * 1e6,
            };
        }, margin: 0.05);

        Assert.Equal(new Dictionary<string, int> { ["512"] = 2, ["2048"] = 1 }, seen);
        Assert.Equal([1e-6, 3e-6], variants.Select(v => v.CostPerRequestUsd!.Value));
        Assert.Equal([1.0, 3.0], variants.Select(v => v.Per1MRequestsUsd!.Value));

        // Cheaper-but-slower against dearer-but-faster: both on the front; 512 is 4.5× slower, so 2048 is recommended.
        Assert.Equal([true, true], variants.Select(v => v.OnParetoFront));
        Assert.Equal([false, true], variants.Select(v => v.Recommended));
    }

    [Fact]
    public void Build_VariantWithoutShards_IsListedUnmeasured()
    {
        var variants = VariantSummaryBuilder.Build(["a", "b"], [Shard("a", 0, 5_000, 10)], cost: null, margin: 0.05);

        Assert.Equal(0, variants[1].Requests);
        Assert.Equal(0, variants[1].Rounds);
        Assert.False(variants[1].OnParetoFront);
        Assert.True(variants[0].Recommended);
    }
}
