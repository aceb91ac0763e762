using HdrHistogram;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Records one shard's exchanges: counts, error classes, latency / service-time / lag histograms (µs, 3 digits),
/// per-second windows, status codes, bytes, instances and error samples. Exchange recording takes one short lock
/// (a few histogram increments, no allocation in steady state); dropped arrivals and in-flight peaks are lock-free
/// per-second counters so the pacer never waits on workers. A shard of named requests (<c>requests:</c>) also keeps,
/// per request, its own latency histogram, per-second windows, status codes and error classes
/// (<see cref="ShardResult.PerRequest"/>); the totals are the same either way.
/// </summary>
internal sealed class ShardRecorder
{
    private const int MaxErrorSamples = 5;
    private const int StatusSlots = 600;

    private readonly Lock _lock = new();
    private readonly ShardClock _clock;
    private readonly LongHistogram _latency = LatencyHistograms.Create();
    private readonly LongHistogram _service = LatencyHistograms.Create();
    private readonly LongHistogram _lag = LatencyHistograms.Create();
    private readonly long[] _statusCounts = new long[StatusSlots];
    private readonly Dictionary<int, long> _otherStatuses = [];
    private readonly TimelineRecorder _timeline;
    private readonly Dictionary<string, InstanceUsageTracker> _instances = new(StringComparer.Ordinal);
    private readonly List<(ExchangeOutcome Outcome, int Status, string? Error)> _errorSamples = [];
    private readonly RequestRecorder[]? _perRequest;
    private readonly CheckCounter[][]? _checks;
    private InstanceUsageTracker? _lastInstance;
    private long _requests;
    private long _successes;
    private long _timeouts;
    private long _connectErrors;
    private long _http4xx;
    private long _http5xx;
    private long _otherErrors;
    private long _checkErrors;
    private long _bytesSent;
    private long _bytesReceived;
    private long _dropped;

    /// <param name="clock">The shard clock.</param>
    /// <param name="span">How long after the origin exchanges may end (duration + drain).</param>
    /// <param name="requestNames">The shard's request names in plan order; per-request figures are kept when any is named.</param>
    /// <param name="checks">The checks of each request in plan order (<see cref="RequestTemplate.Checks"/>); their pass and fail counts are kept.</param>
    public ShardRecorder(ShardClock clock, TimeSpan span, IReadOnlyList<string?>? requestNames = null, IReadOnlyList<IReadOnlyList<Load.Checks.CheckSpec>>? checks = null)
    {
        _clock = clock;
        _timeline = new TimelineRecorder(clock, span);
        if (requestNames is not null && requestNames.Any(n => n is not null))
        {
            _perRequest = requestNames.Select((name, i) => new RequestRecorder(name ?? $"request{i}", clock, span)).ToArray();
        }

        if (checks is not null && checks.Any(c => c.Count > 0))
        {
            _checks = checks.Select((list, i) => list
                .Select(c => new CheckCounter(c.DisplayName, requestNames is not null && i < requestNames.Count ? requestNames[i] : null, c.Expression.Trim()))
                .ToArray()).ToArray();
        }
    }

    public ShardClock Clock => _clock;

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>
    /// Records one finished exchange. <paramref name="intendedTicks"/> is the intended start (open model) or the
    /// exchange's own start (closed model); <paramref name="dispatchTicks"/> is when it was handed to a connection.
    /// Cancelled exchanges are not counted unless <paramref name="cancelledMeansTimeout"/> (the drain deadline passed,
    /// so the request waited longer than its timeout). <paramref name="sent"/> false: an arrival that never reached a
    /// connection (it has a latency but no service time and no lag).
    /// </summary>
    public void RecordExchange(
        long intendedTicks, long dispatchTicks, in ExchangeResult result, bool recordLag, bool cancelledMeansTimeout, bool sent = true) =>
        RecordExchange(0, intendedTicks, dispatchTicks, result, recordLag, cancelledMeansTimeout, sent);

    /// <summary>As the overload without <paramref name="request"/>, for the shard's request number <paramref name="request"/>.</summary>
    public void RecordExchange(
        int request, long intendedTicks, long dispatchTicks, in ExchangeResult result, bool recordLag, bool cancelledMeansTimeout, bool sent = true)
    {
        var outcome = result.Outcome;
        if (outcome == ExchangeOutcome.NotSent)
        {
            return;
        }

        if (outcome == ExchangeOutcome.Cancelled)
        {
            if (!cancelledMeansTimeout)
            {
                return;
            }

            outcome = ExchangeOutcome.Timeout;
        }

        var end = result.EndTimestamp != 0 ? result.EndTimestamp : System.Diagnostics.Stopwatch.GetTimestamp();
        var start = result.StartTimestamp != 0 ? result.StartTimestamp : dispatchTicks;
        var latencyMicros = LatencyHistograms.Clamp(ShardClock.MicrosFromTicks(end - intendedTicks));
        var serviceMicros = LatencyHistograms.Clamp(ShardClock.MicrosFromTicks(end - start));
        var isError = true;
        var checkError = false;
        var timed = true;
        lock (_lock)
        {
            _requests++;
            _bytesSent += result.BytesSent;
            _bytesReceived += result.BytesReceived;
            switch (outcome)
            {
                case ExchangeOutcome.Response:
                    CountStatus(result.StatusCode);
                    CountChecks(request, result.FailedChecks);
                    if (result.StatusCode is >= 200 and < 400 && result.FailedChecks != 0)
                    {
                        // A response its status calls fine but a check does not: an error of class check.
                        _checkErrors++;
                        checkError = true;
                    }
                    else if (result.StatusCode is >= 200 and < 400)
                    {
                        _successes++;
                        isError = false;
                    }
                    else if (result.StatusCode is >= 400 and < 500)
                    {
                        _http4xx++;
                    }
                    else if (result.StatusCode >= 500)
                    {
                        _http5xx++;
                    }
                    else
                    {
                        _otherErrors++;
                    }

                    break;
                case ExchangeOutcome.Timeout:
                    _timeouts++;
                    break;
                case ExchangeOutcome.ConnectFailed or ExchangeOutcome.TlsFailed:
                    _connectErrors++;
                    timed = false;
                    break;
                default:
                    _otherErrors++;
                    timed = false;
                    break;
            }

            // Responses of any status and timeouts carry a latency; fast local failures (refused, broken) would
            // only flatter the percentiles, so they are counted but not timed.
            if (timed)
            {
                _latency.RecordValue(latencyMicros);
                if (sent)
                {
                    _service.RecordValue(serviceMicros);
                }
            }

            if (recordLag && sent)
            {
                _lag.RecordValue(LatencyHistograms.Clamp(ShardClock.MicrosFromTicks(dispatchTicks - intendedTicks)));
            }

            _timeline.RecordExchange(end, isError, timed ? latencyMicros : -1);
            _perRequest?[request].Record(outcome, result.StatusCode, isError, checkError, timed ? latencyMicros : -1, end);
            if (isError)
            {
                SampleError(outcome, result.StatusCode, result.Error);
            }

            if (sent && result.InstanceId is { } instanceId)
            {
                var tracker = _lastInstance;
                if (tracker is null || !ReferenceEquals(tracker.InstanceId, instanceId) && tracker.InstanceId != instanceId)
                {
                    if (!_instances.TryGetValue(instanceId, out tracker))
                    {
                        tracker = new InstanceUsageTracker(instanceId);
                        _instances.Add(instanceId, tracker);
                    }

                    _lastInstance = tracker;
                }

                tracker.Record(_clock.ToUnixMicros(start), _clock.ToUnixMicros(end));
            }
        }
    }

    /// <summary>An arrival that found max-in-flight reached (lock-free; called by the pacer).</summary>
    public void RecordDropped(long intendedTicks)
    {
        Interlocked.Increment(ref _dropped);
        _timeline.RecordDropped(intendedTicks);
    }

    /// <summary>In-flight count after an increment (lock-free).</summary>
    public void ObserveInFlight(long ticks, int inFlight) => _timeline.ObserveInFlight(ticks, inFlight);

    /// <summary>Counters and p99 so far, for live progress.</summary>
    public (long Requests, long Errors, double LatencyP99Ms) Snapshot()
    {
        lock (_lock)
        {
            var p99 = _latency.TotalCount == 0 ? 0 : _latency.GetValueAtPercentile(99) / 1000.0;
            return (_requests, _requests - _successes, p99);
        }
    }

    public ShardResult Build(ShardPlan plan, long scheduledArrivals, long endTicks, TimeSpan duration, string? failureReason)
    {
        lock (_lock)
        {
            var statuses = new Dictionary<int, long>(_otherStatuses);
            for (var code = 0; code < StatusSlots; code++)
            {
                if (_statusCounts[code] > 0)
                {
                    statuses[code] = _statusCounts[code];
                }
            }

            return new ShardResult
            {
                RunId = plan.RunId,
                Phase = plan.Phase,
                Round = plan.Round,
                Variant = plan.Variant,
                ShardIndex = plan.ShardIndex,
                StartedAt = _clock.Origin,
                EndedAt = _clock.ToWallClock(endTicks),
                Duration = duration,
                ScheduledArrivals = scheduledArrivals,
                Requests = _requests,
                Successes = _successes,
                Errors = new ErrorCounts
                {
                    Timeout = _timeouts,
                    Connect = _connectErrors,
                    Http4xx = _http4xx,
                    Http5xx = _http5xx,
                    Other = _otherErrors,
                    Check = _checkErrors,
                },
                DroppedArrivals = Volatile.Read(ref _dropped),
                BytesSent = _bytesSent,
                BytesReceived = _bytesReceived,
                Latency = HistogramCodec.Encode(_latency),
                ServiceTime = HistogramCodec.Encode(_service),
                SchedulingLag = HistogramCodec.Encode(_lag),
                Timeline = _timeline.Complete(),
                Instances = _instances.Values.Select(i => i.Complete()).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToArray(),
                StatusCodes = statuses,
                SampleErrors = _errorSamples.Select(Describe).ToArray(),
                PerRequest = _perRequest?.Select(r => r.Build()).ToArray() ?? [],
                Checks = _checks?.SelectMany(c => c).Select(c => c.Build()).ToArray() ?? [],
                FailureReason = failureReason,
            };
        }
    }

    private void CountChecks(int request, uint failed)
    {
        if (_checks is null || (uint)request >= (uint)_checks.Length)
        {
            return;
        }

        var counters = _checks[request];
        for (var i = 0; i < counters.Length; i++)
        {
            if ((failed & (1u << i)) != 0)
            {
                counters[i].Failed++;
            }
            else
            {
                counters[i].Passed++;
            }
        }
    }

    private void CountStatus(int code)
    {
        if ((uint)code < StatusSlots)
        {
            _statusCounts[code]++;
        }
        else
        {
            _otherStatuses[code] = _otherStatuses.GetValueOrDefault(code) + 1;
        }
    }

    private void SampleError(ExchangeOutcome outcome, int status, string? error)
    {
        if (_errorSamples.Count >= MaxErrorSamples)
        {
            return;
        }

        foreach (var sample in _errorSamples)
        {
            if (sample.Outcome == outcome && sample.Status == status && string.Equals(sample.Error, error, StringComparison.Ordinal))
            {
                return;
            }
        }

        _errorSamples.Add((outcome, status, error));
    }

    private static string Describe((ExchangeOutcome Outcome, int Status, string? Error) sample)
    {
        var head = sample.Outcome == ExchangeOutcome.Response ? $"HTTP {sample.Status}" : sample.Outcome.ToString();
        return sample.Error is null ? head : head + ": " + Redaction.RedactUrl(sample.Error);
    }

    /// <summary>One named request's share of the shard (recorded under the shard's lock).</summary>
    private sealed class RequestRecorder(string name, ShardClock clock, TimeSpan span)
    {
        private readonly LongHistogram _latency = LatencyHistograms.Create();
        private readonly TimelineRecorder _timeline = new(clock, span);
        private readonly Dictionary<int, long> _statuses = [];
        private long _requests;
        private long _successes;
        private long _timeouts;
        private long _connect;
        private long _http4xx;
        private long _http5xx;
        private long _other;
        private long _check;

        public void Record(ExchangeOutcome outcome, int status, bool isError, bool checkError, long latencyMicros, long endTicks)
        {
            _requests++;
            switch (outcome)
            {
                case ExchangeOutcome.Response:
                    _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
                    if (!isError)
                    {
                        _successes++;
                    }
                    else if (checkError)
                    {
                        _check++;
                    }
                    else if (status is >= 400 and < 500)
                    {
                        _http4xx++;
                    }
                    else if (status >= 500)
                    {
                        _http5xx++;
                    }
                    else
                    {
                        _other++;
                    }

                    break;
                case ExchangeOutcome.Timeout:
                    _timeouts++;
                    break;
                case ExchangeOutcome.ConnectFailed or ExchangeOutcome.TlsFailed:
                    _connect++;
                    break;
                default:
                    _other++;
                    break;
            }

            if (latencyMicros >= 0)
            {
                _latency.RecordValue(latencyMicros);
            }

            _timeline.RecordExchange(endTicks, isError, latencyMicros);
        }

        public RequestResult Build() => new()
        {
            Name = name,
            Requests = _requests,
            Successes = _successes,
            Errors = new ErrorCounts { Timeout = _timeouts, Connect = _connect, Http4xx = _http4xx, Http5xx = _http5xx, Other = _other, Check = _check },
            Latency = HistogramCodec.Encode(_latency),
            Timeline = _timeline.Complete(),
            StatusCodes = new Dictionary<int, long>(_statuses),
        };
    }

    /// <summary>One check's counts (recorded under the shard's lock).</summary>
    private sealed class CheckCounter(string name, string? request, string expression)
    {
        public long Passed;
        public long Failed;

        public CheckResult Build() => new() { Name = name, Request = request, Expression = expression, Passed = Passed, Failed = Failed };
    }
}
