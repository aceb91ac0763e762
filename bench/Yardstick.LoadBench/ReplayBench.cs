using System.Diagnostics;
using System.Globalization;
using System.Text;
using HdrHistogram;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;
using static System.FormattableString;

namespace Yardstick.LoadBench;

/// <summary>
/// Production replay through the whole engine: writes a trace of <see cref="BenchOptions.Arrivals"/> arrivals at
/// <see cref="BenchOptions.Rate"/> per second (Poisson or uniform offsets, four endpoints, a query per arrival) to a
/// temporary file, describes it as planning does, replays its first <see cref="BenchOptions.Warmup"/> as a warm-up, then
/// the whole trace as one shard (the file streamed by the shard's prefetching <see cref="ReplayFeed"/>). Prints one
/// <c>key=value</c> line: arrivals sent ÷ recorded, the achieved rate (arrivals ÷ the time from the first to the last
/// intended start actually reached) ÷ the trace's rate, scheduling lag p50/p99/max, latency and process CPU µs per request.
/// With <see cref="BenchOptions.DataRows"/>, a dataset of that many rows is written too and every line carries a
/// <c>${data.id}</c> hole and <c>user=REDACTED</c>, filled on the prefetch thread from one row per arrival.
/// </summary>
internal static class ReplayBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var policy = options.AllowHosts is null ? TargetPolicy.LoopbackOnly : TargetPolicy.Parse("localhost,127.0.0.1,::1," + options.AllowHosts);
        policy.EnsureUrlAllowed(options.Url, "--url");
        var uri = new Uri(options.Url);
        var path = Write(options, uri.AbsolutePath);
        var dataPath = options.DataRows > 0 ? WriteData(options.DataRows) : null;
        try
        {
            var workload = new Workload
            {
                Name = "replay-bench",
                Target = new TargetSpec { Url = options.Url, Transport = options.Transport, InsecureSkipTlsVerify = options.Insecure },
                Load = new LoadSpec
                {
                    Model = LoadModel.Replay,
                    Trace = new TraceSpec { File = Path.GetFileName(path) },
                    MaxInFlight = options.MaxInFlight,
                    Connections = options.Connections,
                },
                Data = dataPath is null ? null : new DataSpec { File = Path.GetFileName(dataPath) },
            };
            var generator = new LoadGenerator(TimeProvider.System);
            if (options.Warmup > TimeSpan.Zero)
            {
                await RunAsync(generator, workload, path, dataPath, policy, options, new TraceWindow(TimeSpan.Zero, options.Warmup));
            }

            GC.Collect();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (trace, result, elapsed) = await RunAsync(generator, workload, path, dataPath, policy, options, window: null);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            var requests = Math.Max(1, result.Requests);
            var latency = HistogramSummaries.Latency(HistogramCodec.Decode(result.Latency));
            var lagHistogram = HistogramCodec.Decode(result.SchedulingLag);
            var lag = HistogramSummaries.Lag(lagHistogram);
            var intendedRate = trace.WindowArrivals / trace.ReplayDuration.TotalSeconds;

            // The last arrival was handed out (its intended start plus its lag) within `sendSpan` of the shard start.
            var sendSpan = trace.ReplayDuration.TotalSeconds + (lagHistogram.GetMaxValue() / 1e6);
            Console.WriteLine(
                Invariant($"mode=replay transport={options.Transport.ToString().ToLowerInvariant()} offsets={(options.PoissonOffsets ? "poisson" : "uniform")} data_rows={options.DataRows} ") +
                Invariant($"arrivals={trace.WindowArrivals} sent={result.Requests} dropped={result.DroppedArrivals} errors={result.Errors.Total} sent_ratio={(double)result.Requests / trace.WindowArrivals:0.0000} ") +
                Invariant($"intended_rps={intendedRate:0.0} achieved_rps={result.Requests / sendSpan:0.0} achieved_ratio={result.Requests / sendSpan / intendedRate:0.0000} elapsed_s={elapsed.TotalSeconds:0.00} ") +
                Invariant($"lag_p50_ms={lag.P50:0.000} lag_p99_ms={lag.P99:0.000} lag_max_ms={lagHistogram.GetMaxValue() / 1000.0:0.000} ") +
                Invariant($"latency_p50_ms={latency.P50:0.000} latency_p99_ms={latency.P99:0.000} cpu_us_per_req={cpu.TotalMilliseconds * 1000 / requests:0.00} alloc_bytes_per_req={(double)allocated / requests:0.0} ") +
                Invariant($"trace_bytes={trace.Bytes} peak_per_s={trace.PeakPerSecond}"));
            return result.Errors.Total > result.Requests / 100 ? 1 : 0;
        }
        finally
        {
            File.Delete(path);
            if (dataPath is not null)
            {
                File.Delete(dataPath);
            }
        }
    }

    private static async Task<(TraceSummary Trace, ShardResult Result, TimeSpan Elapsed)> RunAsync(
        LoadGenerator generator, Workload workload, string path, string? dataPath, TargetPolicy policy, BenchOptions options, TraceWindow? window)
    {
        var load = workload.Load with { Window = window };
        var trace = TraceFiles.DescribeFile(Path.GetDirectoryName(path), load);
        var plan = ShardPlanner.Plan(workload with { Load = load }, "bench", RunPhase.Measured, 0, "", default, 1, trace)[0];
        ReplayData.CheckHoles(trace, workload.Data, dataPath is null ? null : ["id", "user"]);
        using var rows = dataPath is null ? null : DatasetRows.OpenFile(dataPath, workload.Data!.File!, workload.Data, 0, 1, plan.Seed);
        using var feed = new ReplayFeed(() => TraceFiles.OpenFile(path), trace, 0, 1, plan.MaxInFlight, rows, workload.Data?.File);
        var catalog = RequestCatalog.Compile(plan.Requests, new RequestCatalogOptions { Data = feed, VerbatimData = true });
        await using var transport = HttpTransportFactory.Create(catalog, new TransportOptions { MaxConnections = plan.Connections, Policy = policy });
        var started = Stopwatch.GetTimestamp();
        var result = await generator.RunAsync(plan, transport, progress: null, CancellationToken.None, feed);
        if (feed.FailureReason is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        return (trace, result, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Writes the dataset: <paramref name="rows"/> rows of an id and a user name that needs percent-encoding.</summary>
    private static string WriteData(int rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"yardstick-replay-bench-{Environment.ProcessId}.csv");
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write("id,user\n");
        for (var i = 0; i < rows; i++)
        {
            writer.Write(Invariant($"{i},user {i}/é\n"));
        }

        return path;
    }

    /// <summary>Writes the trace: arrivals at the rate, endpoints round-robin by a seeded draw, one query value each.</summary>
    private static string Write(BenchOptions options, string targetPath)
    {
        var path = Path.Combine(Path.GetTempPath(), $"yardstick-replay-bench-{Environment.ProcessId}.jsonl");
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var random = new Random(42);
        var names = new[] { "a", "b", "c", "d" };
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        var offset = 0.0;
        for (var i = 0; i < options.Arrivals; i++)
        {
            offset += options.PoissonOffsets ? -Math.Log(1.0 - random.NextDouble()) / options.Rate : 1.0 / options.Rate;
            var t = start.AddTicks((long)(offset * TimeSpan.TicksPerSecond)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            var name = names[random.Next(names.Length)];
            var query = options.DataRows > 0 ? "&i=${data.id}&user=REDACTED" : Invariant($"&i={i}");
            writer.Write(Invariant($$"""{"t":"{{t}}","method":"GET","name":"GET {{targetPath}} {{name}}","path":"{{targetPath}}?e={{name}}{{query}}","status":200,"durationMs":1.5}"""));
            writer.Write('\n');
        }

        return path;
    }
}
