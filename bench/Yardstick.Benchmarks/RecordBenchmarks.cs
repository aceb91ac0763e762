using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Yardstick.Core.Load.Checks;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;

namespace Yardstick.Benchmarks;

/// <summary>
/// The per-request recording path: classification, three histograms, the per-second window, status codes and the
/// instance's busy intervals. Timestamps advance 10 µs per request (100 k req/s), so windows roll over as in a run.
/// With <see cref="WithStatusCheck"/> each response is also evaluated against one status check (as the transport does)
/// and the check's counts recorded.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private const int Batch = 10_000;
    private readonly long _step = Stopwatch.Frequency / 100_000;
    private ShardRecorder _recorder = null!;
    private ResponseChecks? _checks;
    private long _now;

    /// <summary>With an instance header (busy-interval tracking) or without.</summary>
    [Params(true, false)]
    public bool WithInstance { get; set; }

    /// <summary>With one response check (<c>status in [200, 201]</c>) or none.</summary>
    [Params(false, true)]
    public bool WithStatusCheck { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _now = Stopwatch.GetTimestamp();
        IReadOnlyList<CheckSpec> checks = WithStatusCheck ? [new CheckSpec("status in [200, 201]")] : [];
        _checks = ResponseChecks.Compile(checks, "target.checks");
        _recorder = new ShardRecorder(new ShardClock(_now, DateTimeOffset.UnixEpoch.AddYears(55)), TimeSpan.FromHours(2), [null], [checks]);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void RecordExchange()
    {
        var service = Stopwatch.Frequency / 2_000; // 500 µs
        for (var i = 0; i < Batch; i++)
        {
            _now += _step;
            var result = new ExchangeResult
            {
                Outcome = ExchangeOutcome.Response,
                StatusCode = (i & 63) == 0 ? 500 : 200,
                BytesSent = 60,
                BytesReceived = 180,
                StartTimestamp = _now - service,
                EndTimestamp = _now,
                InstanceId = WithInstance ? "instance-1" : null,
            };
            if (_checks is not null)
            {
                result = result with { FailedChecks = _checks.Evaluate(result, capture: null) };
            }

            _recorder.RecordExchange(_now - service - _step, _now - service, result, recordLag: true, cancelledMeansTimeout: false);
        }
    }
}
