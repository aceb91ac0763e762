using System.Diagnostics;
using static System.FormattableString;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.LoadBench;

/// <summary>
/// The whole load engine as a run uses it — <see cref="LoadGenerator"/> with its pacing, dispatch and recording over
/// the chosen transport — closed model (N virtual users) or open model (a constant arrival rate). After a warm-up
/// shard, one measured shard; prints one <c>key=value</c> line with throughput, process CPU µs and allocated bytes per
/// request, latency and scheduling lag.
/// </summary>
/// <remarks>
/// With <c>--workload</c> the shard sends a workload file's requests the way a run's load activity does
/// (<c>RunLoadShardActivity</c>): the real loader (<see cref="WorkloadLoader"/>, <c>--set</c> overrides), the real
/// planner (<see cref="ShardPlanner"/>: the mix, target defaults, checks), the dataset opened by
/// <see cref="DatasetFiles.OpenRows"/>, secrets resolved, the requests compiled by <see cref="RequestCatalog.Compile"/> and
/// the transport chosen by <see cref="HttpTransportFactory"/>. Only the load section is the bench's: its model,
/// connections and durations replace the file's.
/// </remarks>
internal static class EngineBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Setup setup;
        try
        {
            setup = options.Workload is null ? FromUrl(options) : FromWorkload(options);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"loadbench: {e.Describe()}");
            return 2;
        }
        catch (DatasetException e)
        {
            Console.Error.WriteLine($"loadbench: {e.Message}");
            return 2;
        }

        using var data = setup.Data;
        await using var transport = setup.Transport;
        var generator = new LoadGenerator(TimeProvider.System);
        if (options.Warmup > TimeSpan.Zero)
        {
            await generator.RunAsync(Plan(options, setup.Template, options.Warmup), transport, progress: null, CancellationToken.None);
            await JitSettledAsync();
        }

        using var sampler = options.AllocTop > 0 ? new AllocationSampler() : null;
        GC.Collect();
        var gen0Before = GC.CollectionCount(0);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        sampler?.Start();
        var result = await generator.RunAsync(Plan(options, setup.Template, options.Duration), transport, progress: null, CancellationToken.None);
        sampler?.Stop();

        process.Refresh();
        var gen0 = GC.CollectionCount(0) - gen0Before;
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var requests = Math.Max(1, result.Requests);
        var latency = HistogramSummaries.Latency(HistogramCodec.Decode(result.Latency));
        var lag = HistogramSummaries.Lag(HistogramCodec.Decode(result.SchedulingLag));
        var emitLateness = generator.LastRunEmitLateness is { } lateness ? HistogramSummaries.Lag(lateness) : null;
        var seconds = result.Duration.TotalSeconds;
        var non2xx = result.StatusCodes.Where(s => s.Key is < 200 or > 299).Sum(s => s.Value);
        var line =
            Invariant($"mode=engine model={(options.OpenModel ? "open" : "closed")} transport={setup.TransportName} http={setup.Template.Request.HttpVersion} ") +
            Invariant($"tls={(transport is LeanHttpTransport { TlsEngine: { } engine } ? engine.ToString().ToLowerInvariant() : "none")} ") +
            Invariant($"path={(generator.LastRunOnEventLoop ? "loop" : options.OpenModel ? "workers" : "tasks")} ") +
            Invariant($"rps={result.Requests / seconds:0} requests={result.Requests} errors={result.Errors.Total} check_failures={result.Errors.Check} non2xx={non2xx} dropped={result.DroppedArrivals} ") +
            (options.OpenModel ? Invariant($"target_rps={options.Rate:0} achieved_ratio={result.Requests / seconds / options.Rate:0.0000} ") : "") +
            Invariant($"cpu_us_per_req={cpu.TotalMilliseconds * 1000 / requests:0.00} alloc_bytes_per_req={(double)allocated / requests:0.0} gen0={gen0} ") +
            Invariant($"latency_p50_ms={latency.P50:0.000} latency_p99_ms={latency.P99:0.000} lag_p50_ms={lag.P50:0.000} lag_p99_ms={lag.P99:0.000}") +
            // The loop's own share of the lag: lateness when it emitted each arrival, before any wait for a connection.
            (emitLateness is null ? "" : Invariant($" emit_lag_p99_ms={emitLateness.P99:0.000}")) +
            // How often the loop slept, how many of those sleeps no response could end (quiet waits, open model), and
            // how many socket events the waits reported a request (about 1: each served once).
            (generator.LastRunLoopWaits is { Total: > 0 } waits
                ? Invariant($" waits_per_req={(double)waits.Total / requests:0.00} quiet_waits={(double)waits.Quiet / waits.Total:0.00} events_per_req={(double)waits.Events / requests:0.00}")
                : "") +
            (result.PerRequest.Count > 1 ? " mix=" + string.Join(',', result.PerRequest.Select(r => Invariant($"{r.Name}:{r.Requests}"))) : "");
        Console.WriteLine(line);
        if (result.SampleErrors.Count > 0)
        {
            Console.Error.WriteLine($"loadbench: first error: {result.SampleErrors[0]}");
        }

        sampler?.Report(options.AllocTop, requests, Console.Error);
        if (result.FailureReason is not null)
        {
            // A shard that failed (a bad YARDSTICK_* value, an engine error) measured nothing worth a row.
            Console.Error.WriteLine($"loadbench: {result.FailureReason}");
            return 1;
        }

        return result.Errors.Total > result.Requests / 100 ? 1 : 0;
    }

    /// <summary>
    /// Waits until the runtime has compiled nothing for half a second (at most 10 s): methods the warm-up made hot are
    /// re-jitted at tier 1 in the background after it, which would otherwise be counted in the measured window. What
    /// stays in it (~140 ms of the tiering thread's CPU in a 10-s window at 5,000/s, against ~220 ms without this wait;
    /// ~3 us a request) is the measured shard's own connection setup reaching tier 1: a run pays that too.
    /// </summary>
    private static async Task JitSettledAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        var seen = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(500);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == seen)
            {
                return;
            }

            seen = now;
        }
    }

    /// <summary>One GET of <c>--url</c>.</summary>
    private static Setup FromUrl(BenchOptions options)
    {
        var request = new RequestTemplate
        {
            Method = "GET",
            Url = options.Url,
            Transport = options.Transport,
            HttpVersion = options.HttpVersion,
            InsecureSkipTlsVerify = options.Insecure,
        };
        var policy = options.AllowHosts is null ? TargetPolicy.LoopbackOnly : TargetPolicy.Parse("localhost,127.0.0.1,::1," + options.AllowHosts);
        policy.EnsureUrlAllowed(options.Url, "--url");
        var transport = HttpTransportFactory.Create(request, new TransportOptions { MaxConnections = options.Connections, Policy = policy });
        var template = new ShardPlan { RunId = "bench", Workload = "bench", Request = request, Duration = options.Duration };
        return new Setup(template, transport, null, Name(HttpTransportFactory.Choose(request)));
    }

    /// <summary>A workload file's requests, data and checks, compiled as a run's load activity compiles them.</summary>
    private static Setup FromWorkload(BenchOptions options)
    {
        var workload = WorkloadLoader.LoadFile(options.Workload!, options.Overrides);
        var policy = options.AllowHosts is null ? TargetPolicy.LoopbackOnly : TargetPolicy.Parse("localhost,127.0.0.1,::1," + options.AllowHosts);
        policy.EnsureUrlAllowed(workload.Target.Url, "target.url");
        var template = ShardPlanner.Plan(workload, "bench", RunPhase.Measured, round: 0, variant: "", startAt: default, seed: 1)[0] with { ShardCount = 1 };
        if (template.Steps.Count > 0 && !options.OpenModel)
        {
            // A journey is walked as the file says; the bench compares mixes picked by weight.
            throw new InputException("steps", "the bench sends a weighted mix; remove steps: from the workload.");
        }

        var data = workload.Data is { } spec ? DatasetFiles.OpenRows(workload.SourceDirectory, spec, 0, 1, template.Seed) : null;
        try
        {
            var catalog = RequestCatalog.Compile(
                template.Requests.Select(r => SecretReferences.ResolveTemplate(r)).ToList(),
                new RequestCatalogOptions { CorrelationRunId = template.Correlation ? template.RunId : null, TraceSeed = template.Seed, Data = data });
            var transport = HttpTransportFactory.Create(
                catalog, new TransportOptions { MaxConnections = options.Connections, Policy = policy, RequestTimeout = workload.Load.Timeout });
            return new Setup(template, transport, data, Name(HttpTransportFactory.Choose(catalog.First)));
        }
        catch
        {
            data?.Dispose();
            throw;
        }
    }

    private static string Name(TransportKind kind) => kind.ToString().ToLowerInvariant();

    private static ShardPlan Plan(BenchOptions options, ShardPlan template, TimeSpan duration) => options.OpenModel
        ? template with
        {
            // Scheduled a second ahead, as runs are (local host 0.4 s and more, Functions 5 s): over https the paced
            // loop opens its connections in that lead (ShardRun.ConnectLead) instead of while arrivals come due.
            StartAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1),
            Model = LoadModel.Open,
            Steps = [],
            Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(options.Rate), duration),
            MaxInFlight = options.MaxInFlight,
            TimerSlack = options.TimerSlack,
            Connections = options.Connections,
            Duration = duration,
            RequestTimeout = TimeSpan.FromSeconds(10),
        }
        : template with
        {
            Model = LoadModel.Closed,
            Arrivals = null,
            Concurrency = options.Concurrency ?? options.Connections,
            Connections = options.Connections,
            ThinkTime = TimeSpan.Zero,
            Duration = duration,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };

    /// <param name="Template">The plan the bench's model, connections and durations are set on.</param>
    /// <param name="Transport">Owned by the bench; disposed after the measured shard.</param>
    /// <param name="Data">The shard's dataset rows, when the workload has a dataset.</param>
    /// <param name="TransportName">lean or handler.</param>
    private sealed record Setup(ShardPlan Template, IHttpTransport Transport, DatasetRows? Data, string TransportName);
}
