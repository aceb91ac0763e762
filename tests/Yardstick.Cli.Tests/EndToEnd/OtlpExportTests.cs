using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>--otlp-endpoint</c>: a real run on the local host exports its headline metrics and phase spans over OTLP/HTTP
/// (protobuf) to a loopback receiver, which sees the metric names, the workload and the run's phases.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class OtlpExportTests(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_WithOtlpEndpoint_ExportsTheRunsMetricsAndPhaseSpans()
    {
        using var receiver = OtlpReceiver.Start();
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

    /// <summary>A loopback OTLP/HTTP receiver that keeps every request body (as Latin-1 text, so protobuf's UTF-8 strings can be searched) by path.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly ConcurrentQueue<(string Path, string Body)> _bodies = new();

        private OtlpReceiver(HttpListener listener, string baseUrl)
        {
            _listener = listener;
            BaseUrl = baseUrl;
            _ = Task.Run(ServeAsync);
        }

        public string BaseUrl { get; }

        public static OtlpReceiver Start()
        {
            for (var attempt = 0; ; attempt++)
            {
                var baseUrl = $"http://127.0.0.1:{TestPorts.Reserve()}/";
                var listener = new HttpListener();
                listener.Prefixes.Add(baseUrl);
                try
                {
                    listener.Start();
                    return new OtlpReceiver(listener, baseUrl.TrimEnd('/'));
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close();
                }
            }
        }

        public List<string> Bodies(string path) => _bodies.Where(b => b.Path == path).Select(b => b.Body).ToList();

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                _bodies.Enqueue((context.Request.Url!.AbsolutePath, Encoding.Latin1.GetString(buffer.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
