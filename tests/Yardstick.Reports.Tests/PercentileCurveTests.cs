using Yardstick.Core.Measurements;
using Yardstick.Reports;
using Yardstick.Testing;

namespace Yardstick.Reports.Tests;

public sealed class PercentileCurveTests
{
    [Fact]
    public void From_Histogram_KeyPointsEqualTheSummaryValues()
    {
        var histogram = TestHistograms.Random(7, 50_000);
        var summary = HistogramSummaries.Latency(histogram);

        var curve = PercentileCurve.From(histogram);

        Assert.Equal(summary.P50, PercentileCurve.ValueAt(curve, 50));
        Assert.Equal(summary.P90, PercentileCurve.ValueAt(curve, 90));
        Assert.Equal(summary.P99, PercentileCurve.ValueAt(curve, 99));
        Assert.Equal(summary.Max, curve[^1].ValueMs);
        Assert.Equal(100, curve[^1].Percentile);
        Assert.Equal(0, curve[0].Percentile);
        Assert.All(PercentileCurve.KeyPercentiles, p => Assert.Contains(curve, point => point.Percentile == p));
    }

    [Fact]
    public void From_Histogram_IsDenserThanTheKeysAndMonotone()
    {
        var histogram = TestHistograms.Random(8, 100_000);

        var curve = PercentileCurve.From(histogram);

        // HdrHistogram's iteration with 5 ticks per half distance adds points well past the 10 key percentiles.
        Assert.True(curve.Count > 3 * PercentileCurve.KeyPercentiles.Count, $"only {curve.Count} points");
        for (var i = 1; i < curve.Count; i++)
        {
            Assert.True(curve[i].Percentile > curve[i - 1].Percentile, $"percentiles not increasing at {i}");
            Assert.True(curve[i].ValueMs >= curve[i - 1].ValueMs, $"values not monotone at {i}");
        }
    }

    [Theory]
    [InlineData(6_011)]
    [InlineData(997)]
    [InlineData(20)]
    public void From_SmallHistogram_IsMonotoneAndKeepsEveryKeyValue(int count)
    {
        // Few samples make GetValueAtPercentile's rank rounding and the iteration's exact levels disagree near the top.
        var histogram = TestHistograms.Random(count, count);

        var curve = PercentileCurve.From(histogram);

        for (var i = 1; i < curve.Count; i++)
        {
            Assert.True(curve[i].ValueMs >= curve[i - 1].ValueMs, $"values not monotone at {curve[i - 1]} → {curve[i]}");
        }

        foreach (var key in PercentileCurve.Key(histogram))
        {
            Assert.Equal(key.ValueMs, curve.Single(p => p.Percentile == key.Percentile).ValueMs);
        }
    }

    [Fact]
    public void From_EmptyHistogram_IsEmpty()
    {
        Assert.Empty(PercentileCurve.From(LatencyHistograms.Create()));
        Assert.Null(PercentileCurve.ValueAt([], 50));
    }

    [Fact]
    public void From_SingleValue_IsFlatAtThatValue()
    {
        var histogram = LatencyHistograms.Create();
        histogram.RecordValueWithCount(12_000, 10);

        var curve = PercentileCurve.From(histogram);

        // HdrHistogram reports bucket tops: at 3 significant digits 12,000 µs falls in the 8 µs bucket 12,000–12,007.
        Assert.All(curve, p => Assert.Equal(12.007, p.ValueMs));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(90, 1)]
    [InlineData(99, 2)]
    [InlineData(99.9, 3)]
    [InlineData(99.99, 4)]
    [InlineData(50, 0.30103)] // log10(2)
    public void Nines_Percentile_IsMinusLog10OfTheRest(double percentile, double expected) =>
        Assert.Equal(expected, PercentileCurve.Nines(percentile), 5);

    [Fact]
    public void Nines_Hundred_IsInfinite() => Assert.Equal(double.PositiveInfinity, PercentileCurve.Nines(100));

    [Fact]
    public void Create_FromHistograms_FillsBothDistributions()
    {
        var candidate = TestHistograms.Random(9, 10_000);
        var baseline = TestHistograms.Random(10, 10_000);
        var summary = ReportFixtures.EmptyFailed().Candidate;

        var report = RunReport.Create(summary, candidate, null, summary, baseline);

        Assert.NotEmpty(report.CandidateDistribution);
        Assert.NotNull(report.BaselineDistribution);
        Assert.Empty(report.Timeline);
        Assert.Empty(RunReport.Create(summary, null).CandidateDistribution);
        Assert.Null(RunReport.Create(summary, null).BaselineDistribution);
    }
}
