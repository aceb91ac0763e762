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

    [Fact]
    public void QuantileInterval_CoversTheTrueQuantileAboutNinetyFivePercentOfTheTime()
    {
        // 2,000 seeded samples of 1,000 exponential latencies (mean 10 ms): the true p99 is 10·ln(100) ms. The interval
        // is the sample's order statistics at the Wilson bounds of the rank; it must cover the truth ~95 % of the time.
        var truth = 10 * Math.Log(100);
        var (lowPct, highPct) = QuantileInterval.Percentiles(99, 1000);
        var random = new Random(20261206);
        var covered = 0;
        const int Trials = 2000;
        for (var trial = 0; trial < Trials; trial++)
        {
            var sample = new double[1000];
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = -10 * Math.Log(1 - random.NextDouble());
            }

            Array.Sort(sample);
            var low = sample[Math.Max(0, (int)Math.Ceiling(lowPct / 100 * sample.Length) - 1)];
            var high = sample[Math.Min(sample.Length - 1, (int)Math.Ceiling(highPct / 100 * sample.Length) - 1)];
            covered += low <= truth && truth <= high ? 1 : 0;
        }

        Assert.InRange(lowPct, 98.0, 98.6);
        Assert.InRange(highPct, 99.4, 99.7);
        Assert.InRange(covered / (double)Trials, 0.92, 0.985);
    }

    /// <summary>A step measured with its p99's 95 % interval.</summary>
    private static CapacityStepMeasurement WithP99(double rate, double p99, double low, double high, long errors = 0) =>
        new(rate, Metrics(p99), Metrics(p99), 1000, errors, 1000, 0, 1)
        {
            LatencyIntervals = new Dictionary<string, QuantileBounds> { ["p99"] = new(low, high) },
        };

    [Fact]
    public void Result_ClearSteps_ConfidentBoundsAreTheBracket_ExplanationUnchanged()
    {
        var search = new CapacitySearch(Spec with { Precision = 0.5 }, 100, 1000);
        search.Record(WithP99(100, 50, 45, 60));
        search.Record(WithP99(200, 100, 90, 120));
        search.Record(WithP99(400, 900, 700, 1100));

        var result = search.Result();

        Assert.Equal((200.0, 400.0), (result.Lower!.Value, result.Upper!.Value));
        Assert.Equal((200.0, 400.0), (result.ConfidentLower!.Value, result.ConfidentUpper!.Value));
        Assert.All(result.Steps, s => Assert.False(s.Borderline));
        Assert.DoesNotContain("sampling uncertainty", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_BorderlinePassAndFail_WidenTheIntervalToTheClearSteps_AndSayWhich()
    {
        // SLO p(99) < 300ms. 200/s passes with p99 290 ms but its interval reaches 330 ms: it might fail. 300/s fails at
        // 310 ms with an interval down to 280 ms: it might pass. Only 100/s (clear pass) and 400/s (clear fail) bound it.
        var search = new CapacitySearch(Spec with { Precision = 0.05, MaxSteps = 4 }, 100, 1000);
        search.Record(WithP99(100, 120, 110, 140));
        search.Record(WithP99(200, 290, 260, 330));
        search.Record(WithP99(400, 900, 700, 1100));
        search.Record(WithP99(300, 310, 280, 350));

        var result = search.Result();

        Assert.Equal((200.0, 300.0), (result.Lower!.Value, result.Upper!.Value));
        Assert.Equal((100.0, 400.0), (result.ConfidentLower!.Value, result.ConfidentUpper!.Value));
        Assert.Equal([false, true, false, true], result.Steps.Select(s => s.Borderline));
        Assert.EndsWith(
            "With each step's sampling uncertainty (95 % intervals of its SLO metrics) the capacity lies between 100/s and 400/s: the steps at 200/s (a pass), 300/s (a fail) could have gone the other way.",
            result.Explanation,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Result_ErrorRateNearItsBound_IsBorderlineByItsWilsonInterval()
    {
        // errorRate < 1%: 8 errors in 1,000 requests passes, but the Wilson upper bound (about 1.6 %) does not.
        var search = new CapacitySearch(Spec with { MaxSteps = 2 }, 100, 1000);
        search.Record(WithP99(100, 50, 45, 60, errors: 1));
        search.Record(WithP99(200, 50, 45, 60, errors: 8));

        var result = search.Result();

        Assert.Equal(200.0, result.Lower);
        Assert.Equal([false, true], result.Steps.Select(s => s.Borderline));
        Assert.Equal(100.0, result.ConfidentLower);
        Assert.Null(result.ConfidentUpper);
        Assert.Contains("the capacity is at least 100/s", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void CapacityStudy_PicksTheHighestCapacityAndTheCheapestAtCapacity_AndNamesAVariantNotSearched()
    {
        CapacityResult Search(double knee, double usdAt1M) =>
            Drive(new CapacitySearch(Spec, 100, 1000), rate => Target(rate, knee)).WithStepCosts(_ => usdAt1M);

        var study = CapacityStudy.From(
        [
            new VariantCapacity { Variant = "512", Result = Search(knee: 150, usdAt1M: 2.0) },
            new VariantCapacity { Variant = "2048", Result = Search(knee: 420, usdAt1M: 3.5) },
            new VariantCapacity { Variant = "4096", Result = Search(knee: 440, usdAt1M: 1.5) },
            new VariantCapacity { Variant = "8192", Failure = "instanceMemoryMB 8192 was refused" },
        ]);

        Assert.Equal("4096", study.HighestCapacity);
        Assert.Equal("4096", study.CheapestAtCapacity);
        Assert.StartsWith("Highest capacity: 4096 at ", study.Explanation, StringComparison.Ordinal);
        Assert.Contains("Cheapest per request at capacity: 4096, 1.5 USD per 1M requests", study.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("Not searched: 8192 (instanceMemoryMB 8192 was refused).", study.Explanation, StringComparison.Ordinal);

        var none = CapacityStudy.From([new VariantCapacity { Variant = "512", Result = Drive(new CapacitySearch(Spec, 100, 1000), rate => Target(rate, knee: 50)) }]);
        Assert.Null(none.HighestCapacity);
        Assert.StartsWith("No variant passed a step", none.Explanation, StringComparison.Ordinal);
    }
}
