using Yardstick.Core.Measurements;
using Yardstick.Core.Slos;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Slos;

public sealed class SloAttainmentTests
{
    [Fact]
    public void Evaluate_AvailabilityAndLatency_CountsGoodRequestsAndBurnRate()
    {
        var latency = LatencyHistograms.Create();
        // 990 requests at 10 ms, 10 at 500 ms (µs in the histogram).
        latency.RecordValueWithCount(10_000, 990);
        latency.RecordValueWithCount(500_000, 10);
        var spec = new SloSpec { Availability = 0.999, Latency = [new LatencyObjective(TimeSpan.FromMilliseconds(300), 0.995)] };

        var slo = SloAttainment.Evaluate(spec, requests: 1000, successes: 997, latency)!;

        Assert.Equal(30, slo.WindowDays);
        var availability = slo.Objectives[0];
        Assert.Equal(("availability", 997L, 1000L), (availability.Objective, availability.Good, availability.Total));
        Assert.Equal(0.997, availability.Attainment!.Value, 9);
        Assert.Equal(3.0, availability.BurnRate!.Value, 6);
        Assert.False(availability.Met);
        var fast = slo.Objectives[1];
        Assert.Equal(("latency <= 300ms", "latency", 990L, 1000L), (fast.Objective, fast.Sli, fast.Good, fast.Total));
        Assert.Equal(2.0, fast.BurnRate!.Value, 6);
        Assert.False(fast.Met);
    }

    [Fact]
    public void Evaluate_WithinTargets_IsMetWithBurnBelowOne()
    {
        var latency = LatencyHistograms.Create();
        latency.RecordValueWithCount(10_000, 1000);

        var slo = SloAttainment.Evaluate(new SloSpec { Availability = 0.99, Latency = [new LatencyObjective(TimeSpan.FromMilliseconds(50), 0.99)] }, 1000, 995, latency)!;

        Assert.All(slo.Objectives, o => Assert.True(o.Met));
        Assert.Equal(0.5, slo.Objectives[0].BurnRate!.Value, 6);
        Assert.Equal(0.0, slo.Objectives[1].BurnRate!.Value, 6);
    }

    [Fact]
    public void Evaluate_NoSloOrNoRequests_IsNullOrUnattained()
    {
        Assert.Null(SloAttainment.Evaluate(null, 10, 10, null));

        var empty = SloAttainment.Evaluate(new SloSpec { Availability = 0.99 }, 0, 0, null)!;

        Assert.Null(empty.Objectives[0].Attainment);
        Assert.False(empty.Objectives[0].Met);
    }
}
