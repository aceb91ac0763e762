using System.Diagnostics;
using HdrHistogram;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load;

/// <summary>
/// Generates one shard's load and measures it.
/// <list type="bullet">
/// <item><b>Open model</b>: a dedicated pacer thread follows the intended-start timeline of
/// <see cref="ArrivalSchedule"/> whatever the responses do, and hands arrivals to <see cref="ShardPlan.Connections"/>
/// connection workers. An arrival that finds <see cref="ShardPlan.MaxInFlight"/> requests in flight (waiting for a
/// connection or under way) is dropped and counted. Latency is measured from the intended start, so queueing behind a
/// slow target shows (no coordinated omission); service time from the exchange's own start; scheduling lag from the
/// intended start to the hand-off to a connection. Over HTTP/1.1 with the lean transport on Linux (plain, or https on
/// its OpenSSL engine) the pacer and the connections are one thread: a paced epoll loop (<c>ShardRun.EventLoop.cs</c>) with the same rules.</item>
/// <item><b>Closed model</b>: <see cref="ShardPlan.Concurrency"/> virtual users, one connection each, loop
/// exchange → think time; latency equals service time.</item>
/// </list>
/// The shard starts at <see cref="ShardPlan.StartAt"/> (wall clock of the injected <see cref="TimeProvider"/>; a late
/// shard starts at once and its lateness shows in the lag); the wall clock is then mapped onto Stopwatch ticks once.
/// After the last arrival, exchanges under way get the request timeout plus one second; whatever is still pending then
/// counts as a timeout. Cancellation stops sending at once (within about a second in all) and returns what was measured;
/// exchanges cut by the cancellation are not counted.
/// </summary>
public sealed class LoadGenerator
{
    /// <summary>How far <see cref="ShardPlan.StartAt"/> may lie from now (either way).</summary>
    public static readonly TimeSpan MaxStartOffset = TimeSpan.FromHours(1);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;

    public LoadGenerator(TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>
    /// Whether a shard may run on an epoll loop (HTTP/1.1 over the lean transport on Linux): the open model's paced loop,
    /// the closed model's loop of virtual users. Tests set false to force the pacer-and-workers and task-per-user paths.
    /// For a whole process, <c>YARDSTICK_OPEN_LOOP=threads</c> does the same for the open model and
    /// <c>YARDSTICK_CLOSED_LOOP=tasks</c> for the closed one.
    /// </summary>
    internal bool AllowEventLoop { get; init; } = true;

    /// <summary>The paced loop waits with its timerfd even where <c>epoll_pwait2</c> exists (tests of the fallback).</summary>
    internal bool EventLoopTimerfdOnly { get; init; }

    /// <summary>The open model's loop lets every response wake it, as with <c>YARDSTICK_OPEN_LOOP=prompt</c> (tests).</summary>
    internal bool EventLoopPrompt { get; init; }

    /// <summary>
    /// On an epoll loop, the last <see cref="RunAsync"/>'s waits, how many were quiet, and the socket events they
    /// reported (benches, tests).
    /// </summary>
    public (long Total, long Quiet, long Events) LastRunLoopWaits { get; private set; }

    /// <summary>Whether the last <see cref="RunAsync"/> ran its shard on an epoll loop (open model: the paced loop; closed: the users' loop).</summary>
    public bool LastRunOnEventLoop { get; private set; }

    /// <summary>
    /// For the last <see cref="RunAsync"/> on the paced loop, every arrival's lateness when the loop emitted it (µs),
    /// before any wait for a free connection: the generator's own part of the scheduling lag, the rest being arrivals
    /// that found every connection busy. Null on the other paths. A diagnostic for benches; not stored with results.
    /// </summary>
    public HistogramBase? LastRunEmitLateness { get; private set; }

    /// <summary>Lateness of a shard's start that is treated as ordinary timer jitter (timers here tick every ~4 ms).</summary>
    public static readonly TimeSpan LateStartTolerance = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="plan"/> over <paramref name="transport"/> (the caller owns and disposes the transport).</summary>
    /// <exception cref="InputException">The plan cannot run (names the plan field).</exception>
    /// <returns>
    /// What was measured. When the shard could not even start (for example the transport refused to create
    /// connections), the result carries zero counts and <see cref="ShardResult.FailureReason"/>.
    /// </returns>
    /// <param name="plan">The shard's plan.</param>
    /// <param name="transport">Where requests go (the caller owns it).</param>
    /// <param name="progress">Live statistics every half second; null for none.</param>
    /// <param name="cancellationToken">Stops the shard.</param>
    /// <param name="replay">Replay model: the shard's arrivals from the trace (also the transport's data rows).</param>
    public async Task<ShardResult> RunAsync(ShardPlan plan, IHttpTransport transport, ILoadProgress? progress, CancellationToken cancellationToken, Replay.ReplayFeed? replay = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(transport);
        Validate(plan, replay);

        // A replay's prefetcher fills its ring while the shard waits for its start.
        replay?.Start();

        // A plan without a start time starts now.
        var now = _time.GetUtcNow();
        var startAt = plan.StartAt == default ? now : plan.StartAt;
        var wait = startAt - now;
        if (wait.Duration() > MaxStartOffset)
        {
            // Far past would replay hours of arrivals at once; far future is a clock or planning error.
            throw new InputException("plan.startAt", $"{startAt:O} is more than {MaxStartOffset.TotalHours:0} h away from now ({now:O}).");
        }

        // Over https on the paced loop the last part of the wait (ShardRun.ConnectLead at most) is spent opening the
        // shard's connections on the loop itself, before its first intended start.
        var connectLead = wait > TimeSpan.Zero && ShardRun.OpensConnectionsAhead(plan, transport, AllowEventLoop)
            ? (wait < ShardRun.ConnectLead ? wait : ShardRun.ConnectLead)
            : TimeSpan.Zero;
        var cancelledBeforeStart = false;
        if (wait - connectLead > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait - connectLead, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancelledBeforeStart = true;
            }
        }

        // A shard dispatched after the common start (a slow worker, a busy task hub) re-bases its timeline to when it
        // actually began: otherwise its first arrivals would carry the generator's own delay as target latency.
        // The delay is reported apart (StartDelay) so a misaligned round is visible.
        var startDelay = _time.GetUtcNow() - startAt;
        if (startDelay > LateStartTolerance)
        {
            startAt += startDelay;
        }
        else
        {
            startDelay = startDelay > TimeSpan.Zero ? startDelay : TimeSpan.Zero;
        }

        var clock = ShardClock.Capture(_time, startAt);
        var lateness = Stopwatch.GetElapsedTime(clock.OriginTicks);
        var span = (lateness > TimeSpan.Zero ? lateness : TimeSpan.Zero) + plan.Duration + plan.RequestTimeout + ShardRun.DrainGrace;
        var recorder = new ShardRecorder(clock, span, plan.Requests.Select(r => r.Name).ToList(), plan.Requests.Select(r => r.Checks).ToList());
        using var run = new ShardRun(plan, transport, recorder, _time, cancellationToken, replay) { AllowEventLoop = AllowEventLoop, EventLoopTimerfdOnly = EventLoopTimerfdOnly, EventLoopPrompt = EventLoopPrompt };
        LastRunOnEventLoop = false;
        LastRunEmitLateness = null;
        LastRunLoopWaits = default;
        if (cancelledBeforeStart)
        {
            return recorder.Build(plan, 0, clock.OriginTicks, TimeSpan.Zero, failureReason: null) with { StartDelay = startDelay };
        }

        var reporter = progress is null ? null : new ProgressReporter(plan, recorder, run, progress);
        string? failure = null;
        using (var timer = reporter is null ? null : _time.CreateTimer(static s => ((ProgressReporter)s!).Report(), reporter, ProgressInterval, ProgressInterval))
        {
            try
            {
                await (plan.Model == LoadModel.Closed ? run.RunClosedAsync() : run.RunOpenAsync());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled: return what was measured.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Setup or engine failure: the shard reports it instead of losing the partial measurement.
                failure = $"shard {plan.Key} failed: {e.GetType().Name}: {(e is InputException input ? input.Describe() : e.Message)}";
            }
        }

        var endTicks = Stopwatch.GetTimestamp();
        LastRunOnEventLoop = run.RanOnEventLoop;
        LastRunEmitLateness = run.EmitLateness;
        LastRunLoopWaits = run.LoopWaits;
        await run.DisposeConnectionsAsync();
        var elapsed = Stopwatch.GetElapsedTime(clock.OriginTicks, endTicks);
        var duration = cancellationToken.IsCancellationRequested && elapsed < plan.Duration
            ? (elapsed > TimeSpan.Zero ? elapsed : TimeSpan.Zero)
            : plan.Duration;
        reporter?.Report();
        return recorder.Build(plan, run.Scheduled, endTicks, duration, failure) with { StartDelay = startDelay };
    }

    private static void Validate(ShardPlan plan, Replay.ReplayFeed? replay)
    {
        if (plan.Requests.Count == 0)
        {
            throw new InputException("plan.requests", "the plan has no request to send.");
        }

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if ((uint)plan.Steps[i].Request >= (uint)plan.Requests.Count)
            {
                throw new InputException($"plan.steps[{i}].request", $"{plan.Steps[i].Request} is not a request of the plan (it has {plan.Requests.Count}).");
            }
        }

        if (plan.Model == LoadModel.Replay)
        {
            if (plan.Trace is null || replay is null)
            {
                throw new InputException("plan.trace", "the replay model needs its trace (the plan's description and the shard's feed).");
            }

            if (plan.Trace.Endpoints.Count != plan.Requests.Count)
            {
                throw new InputException("plan.requests", $"a replay sends one request per endpoint of the trace ({plan.Trace.Endpoints.Count}), not {plan.Requests.Count}.");
            }
        }
        else
        {
            // Throws InputException for a weight that is not positive.
            _ = RequestSelection.For(plan.Requests, plan.Seed);
        }

        if (plan.Duration <= TimeSpan.Zero)
        {
            throw new InputException("plan.duration", $"must be positive (was {plan.Duration}).");
        }

        if (plan.RequestTimeout <= TimeSpan.Zero)
        {
            throw new InputException("plan.requestTimeout", $"must be positive (was {plan.RequestTimeout}).");
        }

        if (plan.Model is LoadModel.Open or LoadModel.Replay)
        {
            if (plan.Steps.Count > 0)
            {
                throw new InputException("plan.steps", "journeys (steps) are for the closed model; the open model picks a request per arrival by weight.");
            }

            if (plan.Model == LoadModel.Open)
            {
                if (plan.Arrivals is null)
                {
                    throw new InputException("plan.arrivals", "the open model needs an arrival curve.");
                }

                // Throws InputException for a bad curve or shard index before anything starts.
                _ = new ArrivalSchedule(plan.Arrivals, plan.ShardIndex, plan.ShardCount, plan.Seed);
            }

            if (plan.Connections < 1)
            {
                throw new InputException("plan.connections", $"must be at least 1 (was {plan.Connections}).");
            }

            if (plan.MaxInFlight < 1)
            {
                throw new InputException("plan.maxInFlight", $"must be at least 1 (was {plan.MaxInFlight}).");
            }
        }
        else if (plan.Concurrency < 1)
        {
            throw new InputException("plan.concurrency", $"the closed model needs at least 1 virtual user (was {plan.Concurrency}).");
        }
    }

    private sealed class ProgressReporter(ShardPlan plan, ShardRecorder recorder, ShardRun run, ILoadProgress progress)
    {
        private readonly Lock _lock = new();
        private long _lastRequests;
        private long _lastTicks = recorder.Clock.OriginTicks;

        public void Report()
        {
            LiveLoadStats stats;
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                var (requests, errors, p99) = recorder.Snapshot();
                var seconds = Stopwatch.GetElapsedTime(_lastTicks, now).TotalSeconds;
                var rps = seconds > 0 ? (requests - _lastRequests) / seconds : 0;
                _lastRequests = requests;
                _lastTicks = now;
                stats = new LiveLoadStats(
                    plan.Key, plan.Phase, Stopwatch.GetElapsedTime(recorder.Clock.OriginTicks, now), plan.Duration,
                    requests, errors, recorder.Dropped, run.InFlight, rps, p99);
            }

            try
            {
                progress.Report(stats);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failing progress sink must not stop the load; the final result still carries everything.
            }
        }
    }
}
