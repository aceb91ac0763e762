using Yardstick.Core.Capacity;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>A capacity step's figures from its shard results, and the plan that carries the block to the orchestrator.</summary>
public sealed class MeasureCapacityStepActivityTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Measure_MergesTheStepsShards()
    {
        var slow = LatencyHistograms.Create();
        slow.RecordValueWithCount(400_000, 10);
        var lag = LatencyHistograms.Create();
        lag.RecordValueWithCount(25_000, 10);
        var second = TestShards.TenRequestsOf40Ms("r", Start) with
        {
            Latency = HistogramCodec.Encode(slow),
            SchedulingLag = HistogramCodec.Encode(lag),
            ScheduledArrivals = 12,
            DroppedArrivals = 2,
            Errors = ErrorCounts.None with { Http5xx = 1 },
        };

        var m = MeasureCapacityStepActivity.Measure(50, [TestShards.TenRequestsOf40Ms("r", Start), second]);

        Assert.Equal(50, m.Rate);
        Assert.Equal(20, m.Requests);
        Assert.Equal(1, m.Errors);
        Assert.Equal(22, m.Scheduled);
        Assert.Equal(2, m.Dropped);
        Assert.InRange(m.Latency["p50"], 39, 41);
        Assert.InRange(m.Latency["p99"], 399, 401);
        Assert.InRange(m.ServiceTime["p99"], 39, 41);
        Assert.InRange(m.LagP99Ms, 24.9, 25.1);
    }

    [Fact]
    public void Measure_NoShardResult_IsNoResponseAtAll_WhichAutostops()
    {
        var m = MeasureCapacityStepActivity.Measure(50, []);
        Assert.Equal(1, m.ErrorRate);

        var search = new CapacitySearch(new CapacitySpec { Slo = ["p(99) < 300ms"] }, 50, 100);
        Assert.Equal(CapacityStepOutcome.AutoStop, search.Record(m).Outcome);
    }

    [Fact]
    public void CapacityPlan_FromTheWorkload_StartsAtLoadRate_AndKeepsTheBlocksSettings()
    {
        var workload = WorkloadLoader.LoadText("""
            name: cap
            target: { url: http://127.0.0.1:1/ }
            load: { rate: 25/s, duration: 2s }
            capacity: { slo: ["p(95) < 200ms"], maxRate: 100/s, growth: 3, precision: 10%, maxSteps: 5, maxLag: 40ms, autostop: { errorRate: 20%, latencyFactor: 4 } }
            """, "cap.yaml");

        var plan = Assert.IsType<CapacityPlan>(CapacityPlan.From(workload));

        Assert.Equal((25.0, 100.0, 3.0, 0.1, 5, 40.0, 0.2, 4.0), (plan.StartRate, plan.MaxRate, plan.Growth, plan.Precision, plan.MaxSteps, plan.MaxLagMs!.Value, plan.AutoStopErrorRate, plan.AutoStopLatencyFactor));
        var search = plan.NewSearch();
        Assert.Equal(25, search.NextRate);
        Assert.Equal(40, search.MaxLagMs);
        Assert.Null(CapacityPlan.From(workload with { Capacity = null }));
    }
}
