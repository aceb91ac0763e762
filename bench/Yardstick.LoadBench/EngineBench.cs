using System.Diagnostics;
using static System.FormattableString;
using Yardstick.Core.Load;
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
internal static class EngineBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var request = new RequestTemplate
        {
            Method = "GET",
            Url = options.Url,
            Transport = options.Transport,
            InsecureSkipTlsVerify = options.Insecure,
        };
        var policy = options.AllowHosts is null ? TargetPolicy.LoopbackOnly : TargetPolicy.Parse("localhost,127.0.0.1,::1," + options.AllowHosts);
        policy.EnsureUrlAllowed(options.Url, "--url");
        var generator = new LoadGenerator(TimeProvider.System);

        await using var transport = HttpTransportFactory.Create(request, new TransportOptions { MaxConnections = options.Connections, Policy = policy });
        if (options.Warmup > TimeSpan.Zero)
        {
            await generator.RunAsync(Plan(options, request, options.Warmup), transport, progress: null, CancellationToken.None);
        }

        using var sampler = options.AllocTop > 0 ? new AllocationSampler() : null;
        GC.Collect();
        var gen0Before = GC.CollectionCount(0);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        sampler?.Start();
        var result = await generator.RunAsync(Plan(options, request, options.Duration), transport, progress: null, CancellationToken.None);
        sampler?.Stop();

        process.Refresh();
        var gen0 = GC.CollectionCount(0) - gen0Before;
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var requests = Math.Max(1, result.Requests);
        var latency = HistogramSummaries.Latency(HistogramCodec.Decode(result.Latency));
        var lag = HistogramSummaries.Lag(HistogramCodec.Decode(result.SchedulingLag));
        var seconds = result.Duration.TotalSeconds;
        var line =
            Invariant($"mode=engine model={(options.OpenModel ? "open" : "closed")} transport={HttpTransportFactory.Choose(request).ToString().ToLowerInvariant()} ") +
            Invariant($"rps={result.Requests / seconds:0} requests={result.Requests} errors={result.Errors.Total} dropped={result.DroppedArrivals} ") +
            (options.OpenModel ? Invariant($"target_rps={options.Rate:0} achieved_ratio={result.Requests / seconds / options.Rate:0.0000} ") : "") +
            Invariant($"cpu_us_per_req={cpu.TotalMilliseconds * 1000 / requests:0.00} alloc_bytes_per_req={(double)allocated / requests:0.0} gen0={gen0} ") +
            Invariant($"latency_p50_ms={latency.P50:0.000} latency_p99_ms={latency.P99:0.000} lag_p50_ms={lag.P50:0.000} lag_p99_ms={lag.P99:0.000}");
        Console.WriteLine(line);
        sampler?.Report(options.AllocTop, requests, Console.Error);
        return result.Errors.Total > result.Requests / 100 ? 1 : 0;
    }

    private static ShardPlan Plan(BenchOptions options, RequestTemplate request, TimeSpan duration) => options.OpenModel
        ? new ShardPlan
        {
            RunId = "bench",
            Workload = "bench",
            Request = request,
            Model = LoadModel.Open,
            Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(options.Rate), duration),
            MaxInFlight = options.MaxInFlight,
            Connections = options.Connections,
            Duration = duration,
            RequestTimeout = TimeSpan.FromSeconds(10),
        }
        : new ShardPlan
        {
            RunId = "bench",
            Workload = "bench",
            Request = request,
            Model = LoadModel.Closed,
            Concurrency = options.Connections,
            Connections = options.Connections,
            Duration = duration,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
}
