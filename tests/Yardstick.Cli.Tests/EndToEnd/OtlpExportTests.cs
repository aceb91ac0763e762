using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>--otlp-endpoint</c>: a real run on the local host exports its headline metrics and phase spans over OTLP/HTTP
/// (protobuf) to a loopback receiver, which sees the metric names, the workload and the run's phases.
/// </summary>
public sealed class OtlpExportTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_WithOtlpEndpoint_ExportsTheRunsMetricsAndPhaseSpans()
    {
        using var receiver = TelemetryReceiver.Start();
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("otlp");
        var file = _cli.WriteWorkload(name, $"name: {name}\n" + CliHarness.SampleTargetBlock(port) + """
            load:
              rate: 20/s
              duration: 1s
            tags:
              team: payments
            """);

        var result = await _cli.RunAsync("run", file, "--no-progress", "--otlp-endpoint", receiver.BaseUrl);

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var metrics = receiver.Bodies("/v1/metrics");
        var traces = receiver.Bodies("/v1/traces");
        Assert.NotEmpty(metrics);
        Assert.NotEmpty(traces);
        foreach (var text in new[] { "yardstick.run.latency", "yardstick.run.error_rate", "yardstick.run.throughput", "yardstick.runs", "quantile", "p95", name, "tag.team", "payments" })
        {
            Assert.True(metrics.Any(b => b.Contains(text, StringComparison.Ordinal)), $"no exported metric carries '{text}'");
        }

        Assert.DoesNotContain(metrics, b => b.Contains(runId, StringComparison.Ordinal)); // one series per workload, not per run
        foreach (var text in new[] { "yardstick.run", "yardstick.phase.plan", "yardstick.phase.measured", runId })
        {
            Assert.True(traces.Any(b => b.Contains(text, StringComparison.Ordinal)), $"no exported span carries '{text}'");
        }
    }

    [Fact]
    public async Task Run_BadOtlpEndpoint_RefusedNamingTheOption()
    {
        var result = await _cli.RunAsync("run", _cli.WriteWorkload("otlp-bad", "name: otlp-bad\ntarget: { url: http://127.0.0.1:1/ }\nload: { rate: 1/s, duration: 1s }\n"), "--otlp-endpoint", "ftp://collector");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("yardstick: --otlp-endpoint: ", result.Error, StringComparison.Ordinal);
    }
}
