using Yardstick.Core.Capacity;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Capacity;

/// <summary>The capacity search's decisions against simulated targets with a known knee.</summary>
public sealed class CapacitySearchTests
{
    private static readonly CapacitySpec Spec = new()
    {
        Slo = ["p(99) < 300ms", "errorRate < 1%"],
        Precision = 0.05,
        MaxSteps = 20,
    };

    /// <summary>A target with capacity <paramref name="knee"/>/s: 50 ms p99 below it, 400 ms (and no errors) above.</summary>
    private static CapacityStepMeasurement Target(double rate, double knee, double slowMs = 400, long errors = 0, double lagMs = 1, long dropped = 0)
    {
        var p99 = rate <= knee ? 50 : slowMs;
        var latency = Metrics(p99);
        return new CapacityStepMeasurement(rate, latency, latency, 1000, errors, 1000, dropped, lagMs);
    }

    private static Dictionary<string, double> Metrics(double p99) => new()
    {
        ["p50"] = p99 / 2,
        ["p95"] = p99 * 0.9,
        ["p99"] = p99,
        ["max"] = p99 * 1.2,
        ["mean"] = p99 / 2,
    };

    private static CapacityResult Drive(CapacitySearch search, Func<double, CapacityStepMeasurement> target)
    {
        var guard = 0;
        while (search.NextRate is { } rate)
        {
            search.Record(target(rate));
            Assert.True(++guard <= 50, "the search never ended");
        }

        return search.Result();
    }

    [Fact]
    public void WithStepCosts_PricesEveryStep_AndTheCostAtCapacityIsThePassingStepAtTheSustainableRate()
    {
        var result = Drive(new CapacitySearch(Spec, 100, 1000), rate => Target(rate, knee: 260));
        Assert.Equal(CapacityStop.Converged, result.Stop);

        // A price that falls with the rate (fixed costs spread over more requests), and one step it cannot price.
        var unpriced = result.Steps[1].Index;
        var priced = result.WithStepCosts(s => s.Index == unpriced ? null : 1000 / s.Measurement.Rate);

        Assert.Equal(result.Steps.Count, priced.Steps.Count);
        Assert.All(priced.Steps.Where(s => s.Index != unpriced), s => Assert.Equal(1000 / s.Measurement.Rate, s.Per1MRequestsUsd));
        Assert.Null(priced.Steps.Single(s => s.Index == unpriced).Per1MRequestsUsd);
        Assert.Equal(1000 / result.MaxSustainableRate!.Value, priced.Per1MRequestsAtCapacityUsd);
        Assert.Null(result.Per1MRequestsAtCapacityUsd);

        // Nothing passed: no cost at capacity, though every step keeps its own.
        var none = Drive(new CapacitySearch(Spec, 100, 1000), rate => Target(rate, knee: 10)).WithStepCosts(_ => 7);
        Assert.Null(none.MaxSustainableRate);
        Assert.Null(none.Per1MRequestsAtCapacityUsd);
        Assert.All(none.Steps, s => Assert.Equal(7, s.Per1MRequestsUsd));
    }

    [Fact]
    public void StepsUpGeometrically_ThenBisectsToTheKnee()
    {
        var search = new CapacitySearch(Spec, startRate: 10, maxRate: 1000);
        var result = Drive(search, rate => Target(rate, knee: 100));

        Assert.Equal([10, 20, 40, 80, 160], result.Steps.Take(5).Select(s => s.Measurement.Rate));
        Assert.All(result.Steps.Take(4), s => Assert.Equal("step", s.Kind));
        Assert.All(result.Steps.Skip(5), s => Assert.Equal("bisect", s.Kind));
        Assert.Equal(CapacityStop.Converged, result.Stop);
        Assert.InRange(result.Lower!.Value, 95, 100);
        Assert.InRange(result.Upper!.Value, 100.0001, 105);
        Assert.True((result.Upper - result.Lower) / result.Lower <= 0.05);
        Assert.Equal(result.Lower, result.MaxSustainableRate);
        Assert.Equal(result.Upper, result.Knee);
        Assert.Contains("Maximum sustainable rate", result.Explanation);
    }

    [Fact]
    public void IsDeterministic_GivenTheSameOutcomes()
    {
        var a = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, 137));
        var b = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, 137));
        Assert.Equal(a.Steps.Select(s => s.Measurement.Rate), b.Steps.Select(s => s.Measurement.Rate));
        Assert.Equal(a.Lower, b.Lower);
    }

    [Fact]
    public void AllPass_EndsAtMaxRate_WithNoUpperBound()
    {
        var result = Drive(new CapacitySearch(Spec, 10, 50), r => Target(r, knee: 1e9));
        Assert.Equal([10, 20, 40, 50], result.Steps.Select(s => s.Measurement.Rate));
        Assert.Equal(CapacityStop.ReachedMaxRate, result.Stop);
        Assert.Equal(50, result.MaxSustainableRate);
        Assert.Null(result.Upper);
        Assert.Null(result.Knee);
    }

    [Fact]
    public void FirstStepFails_CapacityBelowTheStartRate()
    {
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 5));
        Assert.Single(result.Steps);
        Assert.Equal(CapacityStop.FirstStepFailed, result.Stop);
        Assert.Null(result.MaxSustainableRate);
        Assert.Equal(10, result.Upper);
        Assert.Equal(["p(99) < 300ms"], result.Steps[0].Breaches);
    }

    [Fact]
    public void AutoStop_OnErrorRate_EndsTheSearchAtOnce_WithoutBisecting()
    {
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 30, errors: r > 30 ? 600 : 0));
        Assert.Equal([10, 20, 40], result.Steps.Select(s => s.Measurement.Rate));
        Assert.Equal(CapacityStepOutcome.AutoStop, result.Steps[^1].Outcome);
        Assert.Equal(CapacityStop.AutoStop, result.Stop);
        Assert.Equal(20, result.Lower);
        Assert.Equal(40, result.Upper);
    }

    [Fact]
    public void AutoStop_OnLatencyFarPastTheSlo()
    {
        // 3 s p99 against a 300 ms SLO: at least 10 × (the default factor).
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 15, slowMs: 3000));
        Assert.Equal(CapacityStop.AutoStop, result.Stop);
        Assert.Equal(2, result.Steps.Count);
        Assert.Contains(result.Steps[^1].Breaches, b => b.StartsWith("autostop: p99", StringComparison.Ordinal));
    }

    [Fact]
    public void ModerateBreach_IsAFail_NotAnAutoStop()
    {
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 15, slowMs: 2999));
        Assert.Equal(CapacityStepOutcome.Fail, result.Steps[1].Outcome);
        Assert.Equal(CapacityStop.Converged, result.Stop);
    }

    [Fact]
    public void GeneratorLimitedStep_IsMarked_NeverCountedAsCapacity_AndEndsTheSearch()
    {
        // The generator lags from 80/s on while the target's own service time stays fine: 80/s must not become the capacity.
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 1e9, lagMs: r >= 80 ? 500 : 1));
        Assert.Equal(CapacityStepOutcome.GeneratorLimited, result.Steps[^1].Outcome);
        Assert.Equal(80, result.Steps[^1].Measurement.Rate);
        Assert.Equal(CapacityStop.GeneratorLimited, result.Stop);
        Assert.Equal(40, result.MaxSustainableRate);
        Assert.Null(result.Upper);
        Assert.Contains("generator was the limit", result.Explanation);
    }

    [Fact]
    public void DroppedArrivals_WithAHealthyTarget_AreTheGeneratorsLimit()
    {
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 1e9, dropped: r >= 40 ? 50 : 0));
        Assert.Equal(CapacityStepOutcome.GeneratorLimited, result.Steps[^1].Outcome);
        Assert.Equal(20, result.MaxSustainableRate);
    }

    [Fact]
    public void LaggingGenerator_WithAnOverloadedTarget_IsTheTargetsFail()
    {
        // Lag over its bound, but the target's own service time breaks the SLO: the breach is the target's.
        var result = Drive(new CapacitySearch(Spec, 10, 1000), r => Target(r, knee: 100, lagMs: r > 100 ? 200 : 1));
        Assert.DoesNotContain(result.Steps, s => s.Outcome == CapacityStepOutcome.GeneratorLimited);
        Assert.Equal(CapacityStop.Converged, result.Stop);
        Assert.InRange(result.MaxSustainableRate!.Value, 95, 100);
    }

    [Fact]
    public void GeneratorLimitedDuringBisection_KeepsTheBracketItHad()
    {
        var search = new CapacitySearch(Spec, 10, 1000);
        var result = Drive(search, r => Target(r, knee: 130, lagMs: r is > 110 and < 130 ? 500 : 1));
        Assert.Equal(CapacityStop.GeneratorLimited, result.Stop);
        Assert.Equal(80, result.Lower);
        Assert.Equal(160, result.Upper);
    }

    [Fact]
    public void StepBudget_EndsTheSearch_WithTheBracketSoFar()
    {
        var spec = Spec with { MaxSteps = 6 };
        var result = Drive(new CapacitySearch(spec, 10, 1000), r => Target(r, knee: 100));
        Assert.Equal(6, result.Steps.Count);
        Assert.Equal(CapacityStop.MaxSteps, result.Stop);
        Assert.Equal(80, result.Lower);
        Assert.Equal(120, result.Upper);
    }

    [Fact]
    public void RecordAfterTheEnd_Throws()
    {
        var search = new CapacitySearch(Spec, 10, 1000);
        search.Record(Target(10, knee: 5));
        Assert.True(search.Done);
        Assert.Throws<InvalidOperationException>(() => search.Record(Target(10, knee: 5)));
    }
}
