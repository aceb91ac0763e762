using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Functions.Api;
using Yardstick.Functions.Functions;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Telemetry;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Functions;

/// <summary>
/// Run telemetry on the Functions host, where no process waits for a run: a run started through the API front door ends
/// with <see cref="RecordRunTelemetryActivity"/> (through its wrapper), which exports the run's metrics and spans at
/// once to a loopback OTLP/HTTP receiver and to a loopback Azure Monitor ingestion endpoint, configured by app settings.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunTelemetryPipelineTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_OnTheFunctionsHost_ExportsItsMetricsAndSpansOverOtlpAndToAzureMonitor()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        using var otlp = TelemetryReceiver.Start();
        using var azureMonitor = TelemetryReceiver.Start();
        var tables = azurite.CreateIsolatedStorage();
        await using var services = WrapperPipeline.Services(new InMemoryRunStore(), new InMemoryArtifactStore(), tables.Baselines, tables.Verdicts, new Dictionary<string, string?>
        {
            [AppSettings.OtlpEndpoint] = otlp.BaseUrl,
            [AppSettings.OtlpProtocol] = "http/protobuf",
            [AppSettings.ApplicationInsights] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={azureMonitor.BaseUrl}/",
        });
        await using var durable = await WrapperPipeline.StartAsync(services);
        var starter = services.GetRequiredService<RunStarter>();
        var run = await starter.PrepareAsync(new StartRunBody { WorkloadText = TestWorkloads.Valid("telemetry-api", url: target.BaseUrl + "/api/hello"), Tags = new Dictionary<string, string> { ["team"] = "payments" } }, "api", CancellationToken.None);

        Assert.True(run.Request.RecordTelemetry); // the Functions front door asks for the last step
        var runId = await starter.ScheduleAsync(durable.Client, run, CancellationToken.None);
        OrchestrationMetadata done;
        using (var cts = new CancellationTokenSource(Liveness))
        {
            done = await durable.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cts.Token);
        }

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        Assert.Equal(RunStatus.Completed, done.ReadOutputAs<RunOutcome>()!.Status);

        // The activity flushed before it returned: nothing waits for the next periodic export.
        var metrics = otlp.Bodies("/v1/metrics");
        var traces = otlp.Bodies("/v1/traces");
        foreach (var text in new[] { "yardstick.run.latency", "yardstick.run.error_rate", "yardstick.run.throughput", "yardstick.runs", "p95", "telemetry-api", "tag.team", "payments", "tag.trigger" })
        {
            Assert.True(metrics.Any(b => b.Contains(text, StringComparison.Ordinal)), $"no OTLP metric carries '{text}'");
        }

        Assert.DoesNotContain(metrics, b => b.Contains(runId, StringComparison.Ordinal));
        foreach (var text in new[] { "yardstick.run", "yardstick.phase.plan", "yardstick.phase.measured", "yardstick.phase.analyze", runId })
        {
            Assert.True(traces.Any(b => b.Contains(text, StringComparison.Ordinal)), $"no OTLP span carries '{text}'");
        }

        // Azure Monitor's exporter posts JSON lines to {IngestionEndpoint}/v2.1/track: metrics and the run's request span.
        var tracked = string.Join('\n', azureMonitor.Bodies("/v2.1/track"));
        Assert.True(tracked.Contains("yardstick.run.latency", StringComparison.Ordinal), "Azure Monitor got no run latency: " + string.Join(", ", azureMonitor.Paths));
        Assert.Contains("telemetry-api", tracked, StringComparison.Ordinal);
        Assert.Contains(runId, tracked, StringComparison.Ordinal); // the span's yardstick.run_id
    }

    [Fact]
    public void AddRunTelemetry_NothingConfigured_RegistersNoExporter()
    {
        var services = new ServiceCollection();

        FunctionsServices.AddRunTelemetry(services, Configuration([]));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(RunTelemetryExport));
    }

    [Theory]
    [InlineData(AppSettings.OtlpEndpoint, "collector:4317", AppSettings.OtlpEndpoint)]
    [InlineData(AppSettings.OtlpEndpoint, "file:///etc/passwd", AppSettings.OtlpEndpoint)]
    [InlineData(AppSettings.OtlpProtocol, "http/json", AppSettings.OtlpProtocol)]
    public void AddRunTelemetry_BadSetting_StopsTheHostNamingIt(string setting, string value, string field)
    {
        var values = new Dictionary<string, string?> { [AppSettings.OtlpEndpoint] = "http://127.0.0.1:4318", [setting] = value };

        var e = Assert.Throws<InputException>(() => FunctionsServices.AddRunTelemetry(new ServiceCollection(), Configuration(values)));

        Assert.Equal(field, e.Field);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();}
