using System.Diagnostics;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Load;

/// <summary>
/// The state of one shard while it generates load (open or closed model). Created and driven by
/// <see cref="LoadGenerator"/>; everything it measures goes to a <see cref="ShardRecorder"/>. Which request an exchange
/// sends is decided here: per arrival by the plan's <see cref="IRequestSelector"/> (open model, and closed model without
/// a journey), or by the journey's step (closed model with <see cref="ShardPlan.Steps"/>).
/// </summary>
internal sealed partial class ShardRun : IDisposable
{
    /// <summary>Extra wait after the last arrival (beyond the request timeout) before in-flight exchanges are cut.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    /// <summary>An arrival still waiting for a connection at the drain deadline: it has waited longer than its timeout.</summary>
    private static ExchangeResult NotSentBeforeDrain(long now) => new()
    {
        Outcome = ExchangeOutcome.Timeout,
        StartTimestamp = now,
        EndTimestamp = now,
        Error = "not sent: no free connection before the drain deadline",
    };

    /// <summary>How long to wait for workers after exchanges were cancelled (a transport should stop at once).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxConnectBackoff = TimeSpan.FromSeconds(1);

    private readonly ShardPlan _plan;
    private readonly IHttpTransport _transport;
    private readonly ShardRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenSource _drainCts = new();
    private readonly CancellationTokenSource _exchangeCts;
    private readonly List<IHttpConnection> _connections = [];
    private readonly IRequestSelector _selector;
    private volatile bool _drainExpired;
    private int _inFlight;
    private long _scheduled;
    private long _walks;

    private readonly Replay.ReplayFeed? _replay;

    public ShardRun(ShardPlan plan, IHttpTransport transport, ShardRecorder recorder, TimeProvider time, CancellationToken stop, Replay.ReplayFeed? replay = null)
    {
        _replay = replay;
        _plan = plan;
        _transport = transport;
        _recorder = recorder;
        _time = time;
        _stop = stop;
        _exchangeCts = CancellationTokenSource.CreateLinkedTokenSource(stop, _drainCts.Token);
        // A replay's arrival says which endpoint it sends; otherwise the plan's mix decides.
        _selector = replay ?? RequestSelection.For(plan.Requests, plan.Seed);
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Arrivals that came due (open model, dropped ones included) or exchanges started (closed model).</summary>
    public long Scheduled => Interlocked.Read(ref _scheduled);

    private ShardClock Clock => _recorder.Clock;

    /// <summary><c>load.timerSlack</c> in <see cref="Stopwatch"/> ticks: how far past an arrival's due time its wait may end.</summary>
    private long TimerSlackTicks => ShardClock.TicksFromSeconds(_plan.TimerSlack.TotalSeconds);

    public async Task RunOpenAsync()
    {
        // Plain HTTP/1.1 on Linux: one paced epoll loop (ShardRun.EventLoop.cs) unless the platform refuses one.
        if (PacedLoopTransport() is { } lean && await RunOpenOnEventLoop(lean))
        {
            return;
        }

        var schedule = _replay is null ? new ArrivalSchedule(_plan.Arrivals!, _plan.ShardIndex, _plan.ShardCount, _plan.Seed) : null;
        var dispatcher = new ArrivalDispatcher(Math.Min(_plan.MaxInFlight, 4096));
        CreateConnections(_plan.Connections);
        var workers = new Task[_connections.Count];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = OpenWorkerAsync(_connections[i], dispatcher, new ArrivalWaiter());
        }

        var pacerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            try
            {
                if (schedule is not null)
                {
                    Pace(schedule, dispatcher);
                }
                else
                {
                    PaceReplay(_replay!, dispatcher);
                }
                pacerDone.SetResult();
            }
            catch (Exception e)
            {
                pacerDone.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "yardstick-pacer " + _plan.Key,
        };
        pacer.Start();
        try
        {
            await pacerDone.Task;
        }
        finally
        {
            dispatcher.Complete();
            await DrainAsync(Task.WhenAll(workers), _plan.RequestTimeout + DrainGrace);
        }
    }

    public async Task RunClosedAsync()
    {
        // HTTP/1.1 on the lean transport on Linux: one epoll loop (ShardRun.ClosedLoop.cs) unless the platform refuses one.
        if (ClosedLoopTransport() is { } lean && await RunClosedOnEventLoop(lean))
        {
            return;
        }

        CreateConnections(_plan.Concurrency);
        var endTicks = Clock.OriginTicks + ShardClock.TicksFromSeconds(_plan.Duration.TotalSeconds);
        var users = new Task[_connections.Count];
        for (var i = 0; i < users.Length; i++)
        {
            var connection = _connections[i];
            users[i] = Task.Run(() => VirtualUserAsync(connection, endTicks));
        }

        var untilEnd = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), endTicks);
        await DrainAsync(Task.WhenAll(users), (untilEnd > TimeSpan.Zero ? untilEnd : TimeSpan.Zero) + _plan.RequestTimeout + DrainGrace);
    }

    public async ValueTask DisposeConnectionsAsync()
    {
        foreach (var connection in _connections)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // A connection that broke while closing has nothing left to give back.
            }
        }
    }

    public void Dispose()
    {
        _exchangeCts.Dispose();
        _drainCts.Dispose();
    }

    private void CreateConnections(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _connections.Add(_transport.CreateConnection());
        }
    }

    private void Pace(ArrivalSchedule schedule, ArrivalDispatcher dispatcher)
    {
        var pacer = new ArrivalPacer(Clock.OriginTicks, Stopwatch.Frequency);
        var slack = TimerSlackTicks;
        var stop = _stop;
        pacer.Run(schedule, due => Pacing.WaitUntil(due + slack, stop), Stopwatch.GetTimestamp, due => Emit(due, dispatcher));
    }

    private void PaceReplay(Replay.ReplayFeed replay, ArrivalDispatcher dispatcher)
    {
        var pacer = new ArrivalPacer(Clock.OriginTicks, Stopwatch.Frequency);
        var slack = TimerSlackTicks;
        var stop = _stop;
        var timeline = replay.GetTimeline(stop);
        pacer.Run(ref timeline, due => Pacing.WaitUntil(due + slack, stop), Stopwatch.GetTimestamp, due => Emit(due, dispatcher));
    }

    /// <summary>One arrival fell due: counted, then dropped (in-flight cap reached) or handed to a connection.</summary>
    private void Emit(long due, ArrivalDispatcher dispatcher)
    {
        // The pacer numbers arrivals in due order (one thread): the index keys the request choice and the data row.
        var index = Interlocked.Increment(ref _scheduled) - 1;
        var inFlight = Interlocked.Increment(ref _inFlight);
        if (inFlight > _plan.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            _recorder.RecordDropped(due);
            return;
        }

        _recorder.ObserveInFlight(due, inFlight);
        dispatcher.Post(due, index);
    }

    private async Task OpenWorkerAsync(IHttpConnection connection, ArrivalDispatcher dispatcher, ArrivalWaiter waiter)
    {
        while (true)
        {
            var arrival = await dispatcher.NextAsync(waiter);
            if (arrival.IsEnd)
            {
                return;
            }

            var intended = arrival.IntendedTicks;
            var request = _selector.Select(arrival.Index);

            if (_stop.IsCancellationRequested)
            {
                // Cancelled run: what was not sent is not counted.
                Interlocked.Decrement(ref _inFlight);
                continue;
            }

            if (_drainExpired)
            {
                // Still waiting for a connection at the drain deadline: it has waited longer than its timeout.
                Interlocked.Decrement(ref _inFlight);
                var now = Stopwatch.GetTimestamp();
                _recorder.RecordExchange(request, intended, now, NotSentBeforeDrain(now), recordLag: false, cancelledMeansTimeout: true, sent: false);
                continue;
            }

            var dispatched = Stopwatch.GetTimestamp();
            ExchangeResult result;
            try
            {
                // Awaited inline (not through a helper) so the loop's one state machine box serves every request.
                result = await connection.ExchangeAsync(new ExchangeRequest(request, arrival.Index, arrival.Index, intended), _exchangeCts.Token);
            }
            catch (Exception e)
            {
                result = Thrown(e, dispatched);
            }

            Interlocked.Decrement(ref _inFlight);
            _recorder.RecordExchange(request, intended, dispatched, result, recordLag: true, cancelledMeansTimeout: CancelledMeansTimeout);
        }
    }

    /// <summary>
    /// One virtual user: exchange, think, repeat. With a journey it walks the steps in order (every step of one walk
    /// shares a data row) and thinks each step's own time; otherwise each exchange picks a request like an arrival.
    /// </summary>
    private async Task VirtualUserAsync(IHttpConnection connection, long endTicks)
    {
        var steps = _plan.Steps;
        var step = 0;
        var rowKey = 0L;
        var backoff = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested && !_drainExpired && Stopwatch.GetTimestamp() < endTicks)
        {
            var sequence = Interlocked.Increment(ref _scheduled) - 1;
            int request;
            var thinkTime = _plan.ThinkTime;
            if (steps.Count > 0)
            {
                if (step == 0)
                {
                    rowKey = Interlocked.Increment(ref _walks) - 1;
                }

                request = steps[step].Request;
                thinkTime = steps[step].ThinkTime ?? thinkTime;
                step = (step + 1) % steps.Count;
            }
            else
            {
                request = _selector.Select(sequence);
                rowKey = sequence;
            }

            var started = Stopwatch.GetTimestamp();
            _recorder.ObserveInFlight(started, Interlocked.Increment(ref _inFlight));
            ExchangeResult result;
            try
            {
                result = await connection.ExchangeAsync(new ExchangeRequest(request, sequence, rowKey, started), _exchangeCts.Token);
            }
            catch (Exception e)
            {
                result = Thrown(e, started);
            }

            Interlocked.Decrement(ref _inFlight);
            _recorder.RecordExchange(request, started, started, result, recordLag: false, cancelledMeansTimeout: CancelledMeansTimeout);
            if (result.Outcome == ExchangeOutcome.NotSent)
            {
                // The user's data ran out (onExhausted: stop): it has nothing more to send.
                return;
            }

            // A refused connect fails in microseconds; without a pause one user would spin thousands of them a second.
            backoff = result.Outcome is ExchangeOutcome.ConnectFailed or ExchangeOutcome.TlsFailed
                ? TimeSpan.FromTicks(Math.Min(MaxConnectBackoff.Ticks, Math.Max(TimeSpan.FromMilliseconds(10).Ticks, backoff.Ticks * 2)))
                : TimeSpan.Zero;
            var pause = backoff + thinkTime;
            if (pause > TimeSpan.Zero && !await DelayAsync(pause))
            {
                return;
            }
        }
    }

    private bool CancelledMeansTimeout => _drainExpired && !_stop.IsCancellationRequested;

    /// <summary>The result standing for an exchange that threw (transports should not; cancellation may).</summary>
    private static ExchangeResult Thrown(Exception e, long dispatched) => e is OperationCanceledException
        ? new ExchangeResult { Outcome = ExchangeOutcome.Cancelled, StartTimestamp = dispatched, EndTimestamp = Stopwatch.GetTimestamp() }
        : new ExchangeResult
        {
            Outcome = ExchangeOutcome.IoError,
            StartTimestamp = dispatched,
            EndTimestamp = Stopwatch.GetTimestamp(),
            Error = e.GetType().Name + ": " + e.Message,
        };

    private async ValueTask<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _exchangeCts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for the workers for at most <paramref name="budget"/>; then (or at once on cancellation) cancels the
    /// exchanges still under way and gives the workers <see cref="StopGrace"/> to record and leave.
    /// </summary>
    private async Task DrainAsync(Task workers, TimeSpan budget)
    {
        using (var delayCts = CancellationTokenSource.CreateLinkedTokenSource(_stop))
        {
            var first = await Task.WhenAny(workers, Task.Delay(budget, _time, delayCts.Token));
            await delayCts.CancelAsync();
            if (first == workers)
            {
                await workers;
                return;
            }
        }

        if (!_stop.IsCancellationRequested)
        {
            _drainExpired = true;
        }

        await _drainCts.CancelAsync();
        await Task.WhenAny(workers, Task.Delay(StopGrace, _time));
    }
}
