using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Load;

public sealed class ArrivalScheduleTests
{
    private static ArrivalCurve Curve(double startRate, params (double Seconds, double Target)[] stages) => new()
    {
        StartRate = Rate.FromPerSecond(startRate),
        Stages = stages.Select(s => new StageSpec(TimeSpan.FromSeconds(s.Seconds), Rate.FromPerSecond(s.Target))).ToList(),
    };

    private static List<double> Offsets(ArrivalSchedule schedule)
    {
        var list = new List<double>();
        var e = schedule.GetEnumerator();
        while (e.MoveNext())
        {
            list.Add(e.CurrentSeconds);
        }

        return list;
    }

    [Theory]
    [InlineData(200, 4, 800)]
    [InlineData(7, 3, 21)]
    [InlineData(0.3, 10, 3)]
    [InlineData(2.5, 1, 3)] // Λ = 2.5: arrivals at Λ = 0.5, 1.5, 2.5 (round half up)
    [InlineData(1000, 0.0005, 1)] // Λ = 0.5: one arrival exactly at the end
    [InlineData(0, 10, 0)]
    public void Count_ConstantRate_IsRoundedIntegral(double rate, double seconds, long expected)
    {
        var curve = ArrivalCurve.Constant(Rate.FromPerSecond(rate), TimeSpan.FromSeconds(seconds));

        var schedule = new ArrivalSchedule(curve);

        Assert.Equal(expected, schedule.Count);
        Assert.Equal(expected, Offsets(schedule).Count);
    }

    [Fact]
    public void Enumerate_ConstantRate_ArrivalsAtHalfIntervals()
    {
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(200), TimeSpan.FromSeconds(4)));

        var offsets = Offsets(schedule);

        // Arrival k is where 200·t = k + ½.
        for (var k = 0; k < offsets.Count; k++)
        {
            Assert.Equal((k + 0.5) / 200, offsets[k], 12);
        }
    }

    [Fact]
    public void Enumerate_LinearRampFromZero_MatchesClosedForm()
    {
        // 0 → 100/s over 10 s: Λ(t) = 5t², so Λ(T) = 500 and arrival k is at t = √((k + ½) / 5).
        var schedule = new ArrivalSchedule(Curve(0, (10, 100)));

        var offsets = Offsets(schedule);

        Assert.Equal(500, schedule.Count);
        Assert.Equal(500, offsets.Count);
        for (var k = 0; k < offsets.Count; k++)
        {
            Assert.Equal(Math.Sqrt((k + 0.5) / 5), offsets[k], 9);
        }
    }

    [Fact]
    public void Enumerate_RampDown_MatchesClosedForm()
    {
        // 100 → 0/s over 10 s: Λ(t) = 100t − 5t², Λ(T) = 500; t = 10 − √(100 − (k + ½)/5).
        var schedule = new ArrivalSchedule(Curve(100, (10, 0)));

        var offsets = Offsets(schedule);

        Assert.Equal(500, offsets.Count);
        for (var k = 0; k < offsets.Count; k++)
        {
            Assert.Equal(10 - Math.Sqrt(100 - ((k + 0.5) / 5)), offsets[k], 9);
        }
    }

    [Fact]
    public void Count_MultiStageCurve_IsIntegralOfStages()
    {
        // 10/s flat 5 s (50) → ramp to 30/s over 10 s (200) → jump stage of 0 s → ramp 30 → 0 over 5 s (75) → idle 3 s (0) → 0 → 4/s over 2 s (4).
        var curve = Curve(10, (5, 10), (10, 30), (0, 30), (5, 0), (3, 0), (2, 4));

        var schedule = new ArrivalSchedule(curve);
        var offsets = Offsets(schedule);

        Assert.Equal(329, schedule.Count);
        Assert.Equal(329, offsets.Count);
        Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.First <= p.Second), "offsets must not decrease");
        Assert.True(offsets[0] >= 0 && offsets[^1] <= 25);

        // Nothing is due while the rate is zero (20 s … 23 s).
        Assert.DoesNotContain(offsets, t => t > 20.0001 && t < 23);

        // Λ at each offset is k + ½: check a few by integrating the curve numerically.
        foreach (var k in new[] { 0, 49, 50, 120, 249, 250, 300, 324, 325, 328 })
        {
            Assert.Equal(k + 0.5, NumericIntegral(curve, offsets[k]), 3);
        }
    }

    [Fact]
    public void Count_ZeroRateCurve_HasNoArrivals()
    {
        var schedule = new ArrivalSchedule(Curve(0, (5, 0), (0, 0)));

        Assert.Equal(0, schedule.Count);
        Assert.Empty(Offsets(schedule));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    public void Shards_OfARampedRun_AddUpToTheRunExactly(int shards)
    {
        var curve = Curve(3, (2.5, 40), (4, 40), (1.5, 0.5));
        var whole = Offsets(new ArrivalSchedule(curve));

        var parts = Enumerable.Range(0, shards).Select(i => Offsets(new ArrivalSchedule(curve, i, shards))).ToList();

        Assert.Equal(whole.Count, Enumerable.Range(0, shards).Sum(i => ArrivalSchedule.CountArrivals(curve, i, shards)));
        Assert.Equal(whole, parts.SelectMany(p => p).Order().ToList());
        for (var i = 0; i < shards; i++)
        {
            // Shard i takes global arrivals i, i + K, i + 2K …
            Assert.Equal(whole.Where((_, k) => k % shards == i), parts[i]);
        }
    }

    [Fact]
    public void Enumerate_Poisson_IsSeededAndAveragesTheIntegral()
    {
        var curve = Curve(0, (10, 2000)) with { Process = ArrivalProcess.Poisson };

        var first = Offsets(new ArrivalSchedule(curve, 0, 1, seed: 42));
        var again = Offsets(new ArrivalSchedule(curve, 0, 1, seed: 42));
        var other = Offsets(new ArrivalSchedule(curve, 0, 1, seed: 43));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        // Λ(T) = 10 000: a Poisson count has σ = 100; 5σ keeps a false failure below one in a million.
        Assert.InRange(first.Count, 10_000 - 500, 10_000 + 500);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First <= p.Second));

        // Density follows the ramp: Λ(t) = 100t², so the first half holds a quarter of the arrivals (Λ(5) = 2 500, σ = 50).
        Assert.InRange(first.Count(t => t < 5), 2_500 - 250, 2_500 + 250);
    }

    [Fact]
    public void Shards_Poisson_SumToAboutTheIntegral()
    {
        var curve = ArrivalCurve.Constant(Rate.FromPerSecond(1000), TimeSpan.FromSeconds(10)) with { Process = ArrivalProcess.Poisson };

        var counts = Enumerable.Range(0, 4).Select(i => ArrivalSchedule.CountArrivals(curve, i, 4, seed: 7)).ToList();

        Assert.InRange(counts.Sum(), 10_000 - 500, 10_000 + 500);
        Assert.All(counts, c => Assert.InRange(c, 2_500 - 250, 2_500 + 250));
        Assert.Equal(4, counts.Distinct().Count());
    }

    [Fact]
    public void Enumerate_MillionArrivals_AllocatesNothingPerArrival()
    {
        var schedule = new ArrivalSchedule(Curve(0, (100, 20_000)));
        var e = schedule.GetEnumerator();
        e.MoveNext();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 1L;
        var last = 0.0;
        while (e.MoveNext())
        {
            count++;
            last = e.CurrentSeconds;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_000_000, count);
        Assert.True(last <= 100);
        // One object per arrival would be ≥ 24 MB; the runtime itself may allocate a few KB here (tiering, OSR).
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void Constructor_NegativeRate_ThrowsNamingTheStage()
    {
        var e = Assert.Throws<InputException>(() => new ArrivalSchedule(Curve(1, (1, -5))));

        Assert.Equal("load.stages[0].target", e.Field);
    }

    private static double NumericIntegral(ArrivalCurve curve, double t)
    {
        // Trapezoids on each linear stage are exact.
        var sum = 0.0;
        var start = 0.0;
        var rate = curve.StartRate.PerSecond;
        foreach (var stage in curve.Stages)
        {
            var d = stage.Duration.TotalSeconds;
            var end = start + d;
            var target = stage.Target.PerSecond;
            if (t <= start)
            {
                break;
            }

            var upTo = Math.Min(t, end);
            var rateAt = d == 0 ? target : rate + ((target - rate) * (upTo - start) / d);
            sum += (rate + rateAt) * (upTo - start) / 2;
            start = end;
            rate = target;
        }

        return sum;
    }
}
