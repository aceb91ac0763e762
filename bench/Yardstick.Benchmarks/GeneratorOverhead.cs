using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks.Sources;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Benchmarks;

/// <summary>
/// What the generator and its recording cost on their own: runs shards against an in-memory transport that answers
/// at once, and prints CPU µs and allocated bytes per request (closed model: the generator's ceiling) and the achieved
/// rate and scheduling lag of the open model. Not a substitute for bench/loadgen-vs-wrk.sh, which includes the network.
/// </summary>
public static class GeneratorOverhead
{
    public static async Task RunAsync(TimeSpan duration)
    {
        // Warm up the JIT (tier-1) before measuring.
        await MeasureAsync("warm-up", Closed(1, TimeSpan.FromSeconds(2)));
        await MeasureAsync("closed 1 user", Closed(1, duration));
        await MeasureAsync("closed 50 users", Closed(50, duration));
        await MeasureAsync("closed 50 users async", Closed(50, duration), asynchronous: true);
        AsyncInstantTransport.InstanceId = null;
        await MeasureAsync("  same, no instance id", Closed(50, duration), asynchronous: true);
        AsyncInstantTransport.InstanceId = "instant";
        foreach (var rate in new[] { 5_000, 20_000 })
        {
            await MeasureAsync($"open {rate}/s 50 conns", asynchronous: true, plan: new ShardPlan
            {
                RunId = "overhead",
                Workload = "overhead",
                Request = new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/" },
                Model = LoadModel.Open,
                Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(rate), duration),
                Duration = duration,
                Connections = 50,
                MaxInFlight = 1000,
            });
        }
    }

    private static ShardPlan Closed(int users, TimeSpan duration) => new()
    {
        RunId = "overhead",
        Workload = "overhead",
        Request = new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/" },
        Model = LoadModel.Closed,
        Concurrency = users,
        Connections = users,
        Duration = duration,
    };

    private static async Task MeasureAsync(string name, ShardPlan plan, bool asynchronous = false)
    {
        await using IHttpTransport transport = asynchronous ? new AsyncInstantTransport() : new InstantTransport();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0Before = GC.CollectionCount(0);
        var result = await new LoadGenerator(TimeProvider.System).RunAsync(plan, transport, null, CancellationToken.None);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        var lag = HistogramSummaries.Lag(HistogramCodec.Decode(result.SchedulingLag));
        var n = Math.Max(1, result.Requests);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-22} requests={result.Requests,10} rate={result.Requests / plan.Duration.TotalSeconds,12:0} /s cpu={cpu.TotalMicroseconds / n,8:0.000} µs/req " +
            $"alloc={bytes / (double)n,8:0.0} B/req gen0={GC.CollectionCount(0) - gen0Before} dropped={result.DroppedArrivals} lag p50/p99/max={lag.P50:0.000}/{lag.P99:0.000}/{lag.Max:0.000} ms"));
    }

    /// <summary>Answers every exchange at once (synchronously) with a 200, as a zero-cost target would.</summary>
    private sealed class InstantTransport : IHttpTransport
    {
        public IHttpConnection CreateConnection() => new Connection();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Connection : IHttpConnection
        {
            private const string Instance = "instant";

            public ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken)
            {
                var now = Stopwatch.GetTimestamp();
                return new ValueTask<ExchangeResult>(new ExchangeResult
                {
                    Outcome = ExchangeOutcome.Response,
                    StatusCode = 200,
                    BytesSent = 40,
                    BytesReceived = 120,
                    StartTimestamp = now,
                    EndTimestamp = now,
                    InstanceId = Instance,
                });
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Answers every exchange on a thread-pool thread (as a socket completion would), without allocating: the
    /// connection is its own reusable <see cref="IValueTaskSource{TResult}"/> and thread-pool work item.
    /// </summary>
    private sealed class AsyncInstantTransport : IHttpTransport
    {
        /// <summary>Instance header value of every response (null: no instance tracking).</summary>
        public static string? InstanceId { get; set; } = "instant";

        public IHttpConnection CreateConnection() => new Connection();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Connection : IHttpConnection, IValueTaskSource<ExchangeResult>, IThreadPoolWorkItem
        {
            private ManualResetValueTaskSourceCore<ExchangeResult> _core;
            private long _start;

            public ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken)
            {
                _core.Reset();
                _start = Stopwatch.GetTimestamp();
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return new ValueTask<ExchangeResult>(this, _core.Version);
            }

            public void Execute() => _core.SetResult(new ExchangeResult
            {
                Outcome = ExchangeOutcome.Response,
                StatusCode = 200,
                BytesSent = 40,
                BytesReceived = 120,
                StartTimestamp = _start,
                EndTimestamp = Stopwatch.GetTimestamp(),
                InstanceId = InstanceId,
            });

            public ExchangeResult GetResult(short token) => _core.GetResult(token);

            public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

            public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
                _core.OnCompleted(continuation, state, token, flags);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
