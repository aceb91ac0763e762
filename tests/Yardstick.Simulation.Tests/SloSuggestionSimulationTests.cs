using Xunit.Abstractions;
using Yardstick.Core.Slos;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>
/// <c>yardstick slo suggest</c> on simulated history: a suggestion made from 30 nights of an unchanged build must be met
/// (p95, p99 and error-rate thresholds together) by at least 95 % of that build's future nights. Each history is
/// seeded by its index; its 50 future nights come from the same generator, so nothing changes but chance.
/// </summary>
public sealed class SloSuggestionSimulationTests(ITestOutputHelper output)
{
    private const int Histories = 40;
    private const int HistoryNights = 30;
    private const int FutureNights = 50;

    [Fact]
    public void Suggest_UnchangedBuild_IsMetByAtLeast95PercentOfFutureNights()
    {
        var model = new NoiseModel();
        var coverage = new double[Histories];
        var metP95 = new long[Histories];
        var metP99 = new long[Histories];
        var metErrors = new long[Histories];
        var objectives = new double[Histories];
        Parallel.For(0, Histories, h =>
        {
            var generator = new RunGenerator(model, 900_000 + h);
            var history = generator.Runs(HistoryNights).Select((run, i) => Night(run, i)).ToList();
            var suggestion = SloSuggester.Suggest("simulated", history, historyDays: HistoryNights);
            var thresholds = suggestion.Thresholds.Select(t => ThresholdParser.Parse(t)).ToList();
            objectives[h] = suggestion.ErrorRate.Objective;
            var met = 0;
            foreach (var future in generator.Runs(FutureNights))
            {
                var values = future.Values;
                var p95 = thresholds[0].IsSatisfiedBy(values[MetricKeys.P95]);
                var p99 = thresholds[1].IsSatisfiedBy(values[MetricKeys.P99]);
                var errors = thresholds[2].IsSatisfiedBy(values[MetricKeys.ErrorRate]);
                metP95[h] += p95 ? 1 : 0;
                metP99[h] += p99 ? 1 : 0;
                metErrors[h] += errors ? 1 : 0;
                met += p95 && p99 && errors ? 1 : 0;
            }

            coverage[h] = (double)met / FutureNights;
        });

        var overall = coverage.Average();
        var sorted = coverage.Order().ToList();
        output.WriteLine($"{Histories} histories of {HistoryNights} nights, {FutureNights} future nights each (model: median {model.MedianLatencyMs} ms, run shift σ {model.RunShiftSigma:P0}, error rate {model.ErrorRate:P2}).");
        output.WriteLine($"all thresholds met: {overall:P2} of future nights (histories: min {sorted[0]:P0}, 10th percentile {sorted[Histories / 10]:P0}, median {sorted[Histories / 2]:P0}); {coverage.Count(c => c >= 0.95)} of {Histories} histories at 95 % or more.");
        output.WriteLine($"per threshold: p95 {metP95.Sum() / (double)(Histories * FutureNights):P2}, p99 {metP99.Sum() / (double)(Histories * FutureNights):P2}, error rate {metErrors.Sum() / (double)(Histories * FutureNights):P2}; objectives suggested: {string.Join(", ", objectives.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key:P2} ×{g.Count()}"))}.");
        Assert.True(overall >= 0.95, $"only {overall:P2} of future nights met the suggested SLO");
    }

    private static SloHistoryRun Night(RunMetrics run, int night)
    {
        var requests = (long)Math.Round(run.Values[MetricKeys.Throughput] * 60);
        var errors = (long)Math.Round(run.Values[MetricKeys.ErrorRate] * requests);
        return new SloHistoryRun(run.RunId, new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero).AddDays(night), run.Values[MetricKeys.P95], run.Values[MetricKeys.P99], requests, errors);
    }
}
