using Yardstick.Core.Slos;
using Yardstick.Core.Statistics;
using Yardstick.Core.Tests.Workloads;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Slos;

public sealed class SloSuggesterTests
{
    private static readonly DateTimeOffset Night0 = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    // Ten nights: p95 around 40 ms, p99 around 80 ms, 0–3 errors in 6,000 requests.
    private static readonly double[] P95 = [40, 41, 39, 42, 40, 38, 41, 40, 43, 39];
    private static readonly double[] P99 = [80, 83, 78, 85, 81, 77, 82, 80, 88, 79];
    private static readonly long[] Errors = [1, 0, 2, 3, 0, 1, 1, 2, 0, 1];

    [Fact]
    public void Suggest_TenNights_TargetsAreTheToleranceBoundRoundedUp()
    {
        var suggestion = SloSuggester.Suggest("checkout", History(), historyDays: 10);

        var k = NormalToleranceFactor.OneSided(10, 0.99, 0.90);
        var logs = P95.Select(v => Math.Log(v)).ToList();
        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Sum(v => (v - mean) * (v - mean)) / 9);
        Assert.Equal(Math.Exp(mean + (k * sd)), suggestion.P95.BoundMs, 9);
        Assert.Equal(SloSuggester.RoundUp2(suggestion.P95.BoundMs), suggestion.P95.TargetMs);
        Assert.True(suggestion.P95.TargetMs > P95.Max(), "the p95 target must lie above every night seen");
        Assert.True(suggestion.P99.TargetMs > P99.Max(), "the p99 target must lie above every night seen");
        Assert.Equal($"p(95) < {SloSuggester.DurationMs(suggestion.P95.TargetMs)}", suggestion.Thresholds[0]);
    }

    [Fact]
    public void Suggest_ErrorRates_PicksTheTightestStandardObjectiveCoveringTheBound()
    {
        var suggestion = SloSuggester.Suggest("checkout", History(), historyDays: 10);

        // Mean 0.018 %, sd 0.017 %, k ≈ 3.44: the bound ≈ 0.075 % is above 99.95 %'s 0.05 % and within 99.9 %'s 0.1 %.
        Assert.InRange(suggestion.ErrorRate.UpperBound, 0.0005, 0.001);
        Assert.Equal(0.999, suggestion.ErrorRate.Objective, 9);
        Assert.Equal(0.001, suggestion.ErrorRate.AllowedRate, 12);
        Assert.Equal("errorRate < 0.1%", suggestion.Thresholds[2]);
        // 60,000 requests over 10 days → 180,000 per 30 days; 0.1 % of them.
        Assert.Equal(180_000, suggestion.ErrorRate.RequestsPerWindow, 6);
        Assert.Equal(180, suggestion.ErrorRate.BudgetRequests, 6);
    }

    [Fact]
    public void Suggest_GivenObjective_UsesItAndSaysWhenHistoryExceedsIt()
    {
        var suggestion = SloSuggester.Suggest("checkout", History(), historyDays: 10, objective: 0.9999);

        Assert.Equal("errorRate < 0.01%", suggestion.Thresholds[2]);
        Assert.True(suggestion.ErrorRate.ObjectiveGiven);
        Assert.Contains(suggestion.Notes, n => n.Contains("expect some nights to breach it", StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_TooFewRuns_IsAnInputErrorSayingHowMany()
    {
        var ex = Assert.Throws<InputException>(() => SloSuggester.Suggest("checkout", History().Take(4).ToList(), historyDays: 30));

        Assert.Equal("workload", ex.Field);
        Assert.Contains("4 accepted run(s) in the last 30 days; at least 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_Suggestion_IsAcceptedByValidationAsAWorkloadsThresholdsAndSlo()
    {
        var suggestion = SloSuggester.Suggest("checkout", History(), historyDays: 10);

        var yaml = SloSuggestionText.Yaml(suggestion);
        var workload = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\n" + yaml, "suggested.yaml", [], TestWorkloads.Environment);

        Assert.Equal(suggestion.Thresholds, workload.Thresholds);
        Assert.All(workload.Thresholds, t => ThresholdParser.Parse(t));
        Assert.Equal(0.999, workload.Slo!.Availability!.Value, 9);
        Assert.Equal([TimeSpan.FromMilliseconds(suggestion.P95.TargetMs), TimeSpan.FromMilliseconds(suggestion.P99.TargetMs)], workload.Slo.Latency.Select(l => l.Threshold));
        Assert.Equal(TimeSpan.FromDays(30), workload.Slo.Window);
        Assert.StartsWith("# Suggested by 'yardstick slo suggest' from 10 accepted runs of checkout", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(47.31, 48)]
    [InlineData(48, 48)]
    [InlineData(4.111, 4.2)]
    [InlineData(0.347, 0.35)]
    [InlineData(1234, 1300)]
    [InlineData(99.2, 100)]
    public void RoundUp2_Values_RoundUpToTwoSignificantDigits(double value, double expected)
    {
        Assert.Equal(expected, SloSuggester.RoundUp2(value), 9);
    }

    private static List<SloHistoryRun> History() =>
        Enumerable.Range(0, P95.Length)
            .Select(i => new SloHistoryRun($"2026110{i}-020000-00000{i}", Night0.AddDays(i), P95[i], P99[i], 6000, Errors[i]))
            .ToList();
}
