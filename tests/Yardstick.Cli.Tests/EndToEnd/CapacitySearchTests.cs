using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Capacity;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// `yardstick capacity` end to end on the local host against the sample target with a real knee: at most 8 requests
/// at a time, each held 100 ms, so it serves at most 8 ÷ 0.1 s = 80 req/s; above that its queue (and latency) grows
/// for as long as the step lasts. Steps of 0.5 s warm-up + 2 s measured, at most 8 of them (≤ 20 s of load).
/// </summary>
public sealed class CapacitySearchTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int MaxConcurrency = 8;
    private const int LatencyMs = 100;
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Capacity_SampleTargetWithAConcurrencyLimit_FindsTheKnee()
    {
        const double expected = MaxConcurrency * 1000.0 / LatencyMs;
        var name = AzuriteFixture.UniqueName("capacity");
        var port = TestPorts.Reserve();
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{port}/api/hello
              process:
                command: sample-target
                args: ["--urls", "http://127.0.0.1:{port}", "--max-concurrency", "{MaxConcurrency}", "--extra-latency-ms", "{LatencyMs}"]
                readyTimeout: 60s
            load:
              rate: 20/s
              warmup: 500ms
              duration: 2s
              shards: 1
            capacity:
              slo: ["errorRate < 1%"]
              precision: 0.15
              maxSteps: 8
              maxLag: 100ms
              autostop: {"{"} latencyFactor: 100 {"}"}
            cost:
              plan: flexConsumption
              region: eastus
              instanceMemoryMB: 2048
            """);

        // The latency SLO and the ceiling come from the command line, as a user would give them.
        var result = await _cli.RunAsync("capacity", file, "--slo", "p(99) < 250ms", "--slo", "errorRate < 1%", "--max-rate", "400/s", "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        output.WriteLine(result.Out);
        var summary = await _cli.ReadSummaryAsync(name, runId);
        var capacity = Assert.IsType<CapacityResult>(summary.Capacity);
        foreach (var s in capacity.Steps)
        {
            var m = s.Measurement;
            output.WriteLine($"step {s.Index} {s.Kind} {m.Rate:0.#}/s: p50 {m.Latency.GetValueOrDefault("p50"):0.0} ms, p99 {m.Latency.GetValueOrDefault("p99"):0.0} ms, "
                + $"service p99 {m.ServiceTime.GetValueOrDefault("p99"):0.0} ms, {m.Requests} requests, {m.Errors} errors, {m.Dropped} dropped, lag p99 {m.LagP99Ms:0.0} ms → {s.Outcome}");
        }

        output.WriteLine($"{capacity.Stop}: sustainable {capacity.MaxSustainableRate:0.#}/s, knee {capacity.Knee:0.#}/s, expected ≈ {expected:0}/s. {capacity.Explanation}");

        // The search stepped up, found a failing rate and bisected to the precision within its step budget.
        Assert.Equal([20, 40], capacity.Steps.Take(2).Select(s => s.Measurement.Rate));
        Assert.DoesNotContain(capacity.Steps, s => s.Outcome == CapacityStepOutcome.GeneratorLimited);
        Assert.Equal(CapacityStop.Converged, capacity.Stop);
        Assert.Contains(capacity.Steps, s => s.Kind == "bisect");

        // The knee is where the target's settings put it. A 2-core box shared with other builds stretches the 100 ms (its
        // timers, its thread pool; the target shares the cores with the generator), which only lowers the real capacity:
        // 80, 70 and 50/s were all measured on this box under other builds. So the band is wide below, narrower above (a
        // 2.5 s step hides a few % of overload: the queue needs time to grow past the SLO).
        var found = capacity.MaxSustainableRate!.Value;
        Assert.InRange(found, 0.4 * expected, 1.2 * expected);
        Assert.InRange(capacity.Knee!.Value, found, 1.5 * expected);

        // Every step is priced over its own shards (the Flex model: execution time over the step's requests), and the
        // cost at capacity is the passing step's at the sustainable rate.
        Assert.All(capacity.Steps, s => Assert.True(s.Per1MRequestsUsd > 0, $"step {s.Index} has no modeled cost"));
        var atCapacity = capacity.Steps.Last(s => s.Outcome == CapacityStepOutcome.Pass && s.Measurement.Rate == found);
        Assert.Equal(atCapacity.Per1MRequestsUsd, capacity.Per1MRequestsAtCapacityUsd);
        Assert.Contains("USD/1M", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Cost per 1M requests at capacity ({found:0.#}/s)", result.Out, StringComparison.Ordinal);

        // Stored as its own artifact too, and printed as a table.
        Assert.Contains("capacity search", result.Out, StringComparison.Ordinal);
        Assert.Contains("Maximum sustainable rate", result.Out, StringComparison.Ordinal);
        var stored = await _cli.Storage.Artifacts.GetAsync(name, runId, "capacity.json", CancellationToken.None)
            ?? throw new InvalidOperationException("capacity.json was not stored");
        var storedCapacity = YardstickJson.Deserialize<CapacityResult>(stored);
        Assert.Equal(capacity.Steps.Count, storedCapacity.Steps.Count);
        Assert.Equal(capacity.Per1MRequestsAtCapacityUsd, storedCapacity.Per1MRequestsAtCapacityUsd);
    }

    [Fact]
    public async Task CapacityStudy_SweepOfTheConcurrencyLimit_SearchesEachSettingAndPicksTheHighest()
    {
        // One search per value of the sample target's concurrency limit (YARDSTICK_MAX_CONCURRENCY, applied by restarting
        // the local process): 2 and 8 requests at a time, 100 ms each, so about 20 and 80 req/s.
        var name = AzuriteFixture.UniqueName("capstudy");
        var port = TestPorts.Reserve();
        var file = _cli.WriteWorkload(name, $"name: {name}\n" + CliHarness.SampleTargetBlock(port, "--extra-latency-ms", $"{LatencyMs}") + $$"""
            load:
              rate: 10/s
              warmup: 300ms
              duration: 1500ms
              shards: 1
            capacity:
              slo: ["p(99) < 250ms", "errorRate < 1%"]
              maxRate: 160/s
              precision: 0.3
              maxSteps: 5
              maxLag: 100ms
              autostop: { latencyFactor: 100 }
            sweep:
              parameter: appSetting:YARDSTICK_MAX_CONCURRENCY
              values: [2, 8]
              settleTimeout: 1m
            """);

        var result = await _cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        output.WriteLine(result.Out);
        var summary = await _cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(result));
        var study = Assert.IsType<CapacityStudy>(summary.CapacityStudy);
        Assert.Null(summary.Capacity);
        Assert.Equal(2, study.Variants.Count);
        Assert.All(study.Variants, v => Assert.True(v.Result is not null, $"{v.Variant}: {v.Failure}"));
        var low = study.Variants.Single(v => v.Variant == "2").Result!;
        var high = study.Variants.Single(v => v.Variant == "8").Result!;
        Assert.True(high.MaxSustainableRate > low.MaxSustainableRate, $"8 at a time: {high.Explanation} 2 at a time: {low.Explanation}");
        Assert.Equal("8", study.HighestCapacity);
        Assert.All(new[] { low, high }, r => Assert.DoesNotContain(r.Steps, s => s.Outcome == CapacityStepOutcome.GeneratorLimited));
        // No error and a p99 far below 250 ms: the passing steps are passes beyond doubt.
        Assert.All(high.Steps.Where(s => s.Outcome == CapacityStepOutcome.Pass && s.Measurement.Latency["p99"] < 200), s => Assert.False(s.Borderline, $"{s.Measurement.Rate}/s"));

        // Each search's steps ran under its own setting: 2 at a time already breaks the SLO where 8 at a time passes.
        Assert.Contains(low.Steps, s => s.Measurement.Rate == 40 && s.Outcome != CapacityStepOutcome.Pass);
        Assert.Contains(high.Steps, s => s.Measurement.Rate == 40 && s.Outcome == CapacityStepOutcome.Pass);

        Assert.Contains("capacity per setting", result.Out, StringComparison.Ordinal);
        Assert.Contains("Highest capacity: ", result.Out, StringComparison.Ordinal);
        var stored = await _cli.Storage.Artifacts.GetAsync(name, summary.RunId, "capacity.json", CancellationToken.None)
            ?? throw new InvalidOperationException("capacity.json was not stored");
        Assert.Equal(study.HighestCapacity, YardstickJson.Deserialize<CapacityStudy>(stored).HighestCapacity);
    }
}
