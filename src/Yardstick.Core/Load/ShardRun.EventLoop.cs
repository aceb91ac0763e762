using System.Diagnostics;
using HdrHistogram;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load;

/// <summary>
/// The open model over HTTP/1.1 on Linux (plain, or https on the lean transport's OpenSSL engine): one thread paces the arrivals and drives every connection of the shard
/// through one epoll set (like wrk2's per-thread loop), instead of a pacer thread handing arrivals to connection
/// workers whose responses wake .NET's socket engine thread.
/// </summary>
/// <remarks>
/// The rules are the other path's, step for step: <see cref="ArrivalPacer"/> walks the timeline and batches (its wait is
/// this loop's <c>epoll_wait</c>, with a <c>timerfd</c> armed at the next intended start, so responses are read while
/// the pacer waits); each arrival is numbered, counted, dropped at <see cref="ShardPlan.MaxInFlight"/> or handed to an
/// idle connection, else queued FIFO for the next one to free up (<see cref="ArrivalDispatcher"/>'s order); lag runs
/// from the intended start to the hand-off; every exchange is recorded as the worker records it. After the last
/// arrival the exchanges under way get the request timeout plus <see cref="DrainGrace"/>, then count as timeouts;
/// cancellation ends everything at once, uncounted. <see cref="OpenLoopVariable"/>=<c>threads</c> keeps the other path.
/// </remarks>
internal sealed partial class ShardRun
{
    /// <summary>
    /// Environment variable: <c>threads</c> keeps the pacer-and-workers path for the open model everywhere; <c>timerfd</c>
    /// keeps the loop but waits with its timerfd even where <c>epoll_pwait2</c> exists; <c>prompt</c> keeps the loop but
    /// lets every response wake it (no quiet waits; for comparisons).
    /// </summary>
    public const string OpenLoopVariable = "YARDSTICK_OPEN_LOOP";

    /// <summary>False keeps the pacer-and-workers path (tests).</summary>
    public bool AllowEventLoop { get; init; } = true;

    /// <summary>The loop waits with its timerfd even where <c>epoll_pwait2</c> exists (tests).</summary>
    public bool EventLoopTimerfdOnly { get; init; }

    /// <summary>The open model's loop lets every response wake it (no quiet waits; tests, and <c>YARDSTICK_OPEN_LOOP=prompt</c>).</summary>
    public bool EventLoopPrompt { get; init; }

    /// <summary>The shard ran on an epoll loop (open model: the paced loop; closed model: the users' loop).</summary>
    public bool RanOnEventLoop { get; private set; }

    /// <summary>
    /// On an epoll loop: how many waits the loop made, how many of them were quiet, and how many socket events the waits
    /// reported (<see cref="LinuxEventLoop.SocketEvents"/>; read after the run).
    /// </summary>
    public (long Total, long Quiet, long Events) LoopWaits { get; private set; }

    /// <summary>
    /// On the paced loop: each arrival's lateness when the loop emitted it (µs from its intended start), before any
    /// wait for a free connection — the generator's own share of the scheduling lag (the bench reports it).
    /// </summary>
    public LongHistogram? EmitLateness { get; private set; }

    /// <summary>
    /// How long before its start an open-model shard over https on the paced loop opens its connections (TLS handshakes
    /// included), at most: the first arrivals then find the pool ready instead of queueing while it fills (each
    /// handshake costs the target far more than a request). Taken from the wait for the start only, never added to it.
    /// </summary>
    public static readonly TimeSpan ConnectLead = TimeSpan.FromSeconds(2);

    /// <summary>The lean transport the paced loop can drive (plain HTTP, or https on OpenSSL), or null for the portable path.</summary>
    private LeanHttpTransport? PacedLoopTransport() => PacedLoopTransport(_transport, AllowEventLoop);

    private static LeanHttpTransport? PacedLoopTransport(IHttpTransport transport, bool allowEventLoop) =>
        ParseOpenLoop(Environment.GetEnvironmentVariable(OpenLoopVariable)) != OpenLoopMode.Threads
            ? LoopTransport(transport, allowEventLoop)
            : null;

    /// <summary>What <see cref="OpenLoopVariable"/> asks for.</summary>
    internal enum OpenLoopMode
    {
        /// <summary>Unset, empty or <c>loop</c>: the paced loop, waiting with <c>epoll_pwait2</c> where it exists.</summary>
        Loop,

        /// <summary><c>timerfd</c>: the loop, waiting with its timerfd (the loops of both models).</summary>
        Timerfd,

        /// <summary><c>threads</c>: the pacer thread and connection workers.</summary>
        Threads,

        /// <summary><c>prompt</c>: the loop, woken by every response even between arrivals due within a millisecond (for comparisons).</summary>
        Prompt,
    }

    /// <summary>Reads a value of <see cref="OpenLoopVariable"/>.</summary>
    /// <exception cref="InputException">Any value but <c>loop</c>, <c>timerfd</c>, <c>prompt</c>, <c>threads</c> or empty.</exception>
    internal static OpenLoopMode ParseOpenLoop(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "loop" => OpenLoopMode.Loop,
        "timerfd" => OpenLoopMode.Timerfd,
        "threads" => OpenLoopMode.Threads,
        "prompt" => OpenLoopMode.Prompt,
        _ => throw new InputException(OpenLoopVariable, $"must be 'loop', 'timerfd', 'prompt' or 'threads', not '{value}'."),
    };

    /// <summary>The lean transport an epoll loop can drive (HTTP/1.1, plain or https on OpenSSL, on Linux), or null.</summary>
    private static LeanHttpTransport? LoopTransport(IHttpTransport transport, bool allowEventLoop) =>
        allowEventLoop
        && transport is LeanHttpTransport lean
        && (lean.TlsOptions is null || lean.OpenSsl is not null)
        && LinuxEventLoop.IsSupported
            ? lean
            : null;

    /// <summary>Whether this shard opens its connections before its start (<see cref="ConnectLead"/>): open model, https, paced loop.</summary>
    public static bool OpensConnectionsAhead(ShardPlan plan, IHttpTransport transport, bool allowEventLoop) =>
        plan.Model == LoadModel.Open && PacedLoopTransport(transport, allowEventLoop) is { OpenSsl: not null };

    /// <summary>
    /// Runs the whole open-model shard on a thread of its own: true when done, false when no epoll loop could be created
    /// (nothing was sent; the caller takes the portable path).
    /// </summary>
    private Task<bool> RunOpenOnEventLoop(LeanHttpTransport transport) =>
        RunOnEventLoop(transport, _plan.Connections, loop =>
        {
            EmitLateness = LatencyHistograms.Create();
            return new PacedOpenLoop(this, transport, loop, quiet: !EventLoopPrompt && ParseOpenLoop(Environment.GetEnvironmentVariable(OpenLoopVariable)) != OpenLoopMode.Prompt);
        });

    /// <summary>
    /// Runs the shard's <paramref name="create"/>d driver on a thread of its own, with its own epoll set:
    /// true when done, false when no epoll loop could be created (nothing was sent; the caller takes the portable path).
    /// </summary>
    private Task<bool> RunOnEventLoop(LeanHttpTransport transport, int connections, Func<LinuxEventLoop, LoopShard> create)
    {
        if (connections > Math.Max(1, transport.Options.MaxConnections))
        {
            throw new InvalidOperationException(
                $"the lean transport allows {transport.Options.MaxConnections} connections (TransportOptions.MaxConnections), not {connections}.");
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // Created on its own thread: the timer slack it asks for is per thread.
                var loop = LinuxEventLoop.TryCreate(
                    timerfdOnly: EventLoopTimerfdOnly || ParseOpenLoop(Environment.GetEnvironmentVariable(OpenLoopVariable)) == OpenLoopMode.Timerfd);
                if (loop is null)
                {
                    done.SetResult(false);
                    return;
                }

                RanOnEventLoop = true;
                using (loop)
                {
                    var shard = create(loop);
                    using (_stop.UnsafeRegister(static state => ((LinuxEventLoop)state!).Wake(), loop))
                    {
                        try
                        {
                            shard.Run();
                        }
                        finally
                        {
                            shard.CloseAll();
                            LoopWaits = (shard.Waits, shard.QuietWaits, loop.SocketEvents);
                        }
                    }
                }

                done.SetResult(true);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "yardstick-loop " + _plan.Key,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// What every shard on the epoll loop shares: its connections (ids 0…n-1 in the epoll set), one turn of the loop
    /// (wait, serve the sockets that are ready, finish name resolutions, check deadlines) and closing at the end.
    /// The model's own rules are the subclass's: what a turn waits for, and what it starts afterwards.
    /// </summary>
    private abstract class LoopShard : IPacedExchangeOwner
    {
        /// <summary>
        /// Longest wait that may be quiet (<see cref="LinuxEventLoop.SleepQuiet"/>): a response then frees its connection
        /// at most this much after it arrived; what is measured does not move (its kernel receive time is its end).
        /// </summary>
        public static readonly long QuietHorizonTicks = ShardClock.TicksFromSeconds(0.001);

        private readonly long _checkPeriod;
        private long _nextCheck;

        /// <summary>The shard's connections; with <paramref name="stampReceives"/> responses end at the kernel's receive time of their last bytes (needed for quiet waits).</summary>
        protected LoopShard(ShardRun run, LeanHttpTransport transport, LinuxEventLoop loop, int connections, bool stampReceives = false)
        {
            Shard = run;
            Loop = loop;
            Connections = new PacedHttp1Connection[connections];
            for (var i = 0; i < connections; i++)
            {
                Connections[i] = new PacedHttp1Connection(transport, loop, (ulong)i, this, stampReceives);
            }

            _checkPeriod = Math.Max(1, (long)(transport.DeadlinePeriod.TotalSeconds * Stopwatch.Frequency));
            _nextCheck = Stopwatch.GetTimestamp() + _checkPeriod;
        }

        protected ShardRun Shard { get; }

        protected LinuxEventLoop Loop { get; }

        protected PacedHttp1Connection[] Connections { get; }

        /// <summary>Waits made so far, and how many of them were quiet.</summary>
        public long Waits { get; private set; }

        public long QuietWaits { get; private set; }

        /// <summary>Drives the shard to its end (drain included) on the loop's thread.</summary>
        public abstract void Run();

        public abstract void Completed(PacedHttp1Connection connection, in ExchangeResult result);

        public virtual void Opened(PacedHttp1Connection connection)
        {
        }

        public void CloseAll()
        {
            foreach (var connection in Connections)
            {
                connection.Close();
            }
        }

        /// <summary>An exchange ended: it leaves the in-flight count and is recorded as the other paths record it.</summary>
        protected void Record(PacedHttp1Connection connection, in ExchangeResult result, bool recordLag)
        {
            Interlocked.Decrement(ref Shard._inFlight);
            Shard._recorder.RecordExchange(
                connection.RequestIndex, connection.IntendedTicks, connection.DispatchTicks, result, recordLag, cancelledMeansTimeout: Shard.CancelledMeansTimeout);
        }

        /// <summary>What the model starts after a turn (queued arrivals, users whose think time ended…).</summary>
        protected abstract void AfterTurn();

        /// <summary>
        /// One wait (until a socket, a wake-up, the next deadline check or <paramref name="until"/>) and what it reported.
        /// <paramref name="quiet"/> (the open model between arrivals): when the wait would last at most
        /// <see cref="QuietHorizonTicks"/>, no socket must be served at once and no arrival waits for a connection, what is
        /// ready is served first, all of it, then the loop sleeps without letting a socket end the sleep; what becomes
        /// ready meanwhile is served on the next turn, after the arrivals that fell due have gone out.
        /// </summary>
        protected void Turn(long until, bool quiet = false)
        {
            if (Loop.Unserved > 0)
            {
                // The last wait's events that were left for an arrival (or a user) that fell due: served before any new
                // wait, which would report them again and poll every one of them anew (quadratic when many are ready).
                Serve(until);
                return;
            }

            var wakeAt = Math.Min(_nextCheck, until);
            if (quiet && QuietAllowed(wakeAt))
            {
                Loop.Poll();
                Serve(long.MaxValue);
                if (QuietAllowed(wakeAt))
                {
                    Loop.SleepQuiet(wakeAt);
                    Waits++;
                    QuietWaits++;
                    return;
                }
            }

            Loop.Wait(wakeAt);
            Serve(until);
            Waits++;
        }

        private bool QuietAllowed(long wakeAt) =>
            Loop.UrgentSockets == 0 && !WaitsForAConnection && wakeAt - Stopwatch.GetTimestamp() <= QuietHorizonTicks;

        /// <summary>Work is queued for a connection to free up: a response must wake the loop at once (no quiet sleep).</summary>
        protected virtual bool WaitsForAConnection => false;

        /// <summary>
        /// Serves the events the last wait reported — all of them, or those before <paramref name="until"/> passes (the
        /// rest wait for the next <see cref="Turn"/>) — then name resolutions, deadlines and the model's next starts.
        /// </summary>
        private void Serve(long until)
        {
            var woken = false;
            while (Loop.TryTake(out var id, out var flags))
            {
                if (id < (ulong)Connections.Length)
                {
                    Connections[id].OnEvent(flags);
                }
                else if (id == LinuxEventLoop.WakeId)
                {
                    woken = true;
                }

                if (Loop.Unserved > 0 && Stopwatch.GetTimestamp() >= until)
                {
                    // Something fell due while this batch was read: it goes first, the rest on the next turn.
                    break;
                }
            }

            if (woken)
            {
                // A name resolution finished (or the run was cancelled: the callers check).
                foreach (var connection in Connections)
                {
                    if (connection.IsResolving)
                    {
                        connection.PollResolution();
                    }
                }
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= _nextCheck)
            {
                _nextCheck = now + _checkPeriod;
                foreach (var connection in Connections)
                {
                    connection.CheckDeadlines(now);
                }
            }

            AfterTurn();
        }

        /// <summary>Ends every exchange still under way (cancelled: not counted; drain expired: a timeout).</summary>
        protected void AbortAll()
        {
            foreach (var connection in Connections)
            {
                connection.Abort();
            }
        }
    }

    /// <summary>The open model on the loop: the pacer's wait is the loop's, arrivals go to idle connections or queue.</summary>
    private sealed class PacedOpenLoop : LoopShard
    {
        private readonly Stack<PacedHttp1Connection> _idle;
        private readonly Queue<Arrival> _pending;
        private readonly long _slackTicks;
        private readonly bool _opensAhead;
        private readonly bool _quiet;

        public PacedOpenLoop(ShardRun run, LeanHttpTransport transport, LinuxEventLoop loop, bool quiet)
            : base(run, transport, loop, run._plan.Connections, stampReceives: true)
        {
            // Responses end at their kernel receive time; the keeper makes sure the run's first ones are stamped too.
            loop.KeepReceiveStampsOn();
            _quiet = quiet;
            _idle = new Stack<PacedHttp1Connection>(Connections.Length);
            for (var i = Connections.Length - 1; i >= 0; i--)
            {
                _idle.Push(Connections[i]);
            }

            _pending = new Queue<Arrival>(Math.Min(run._plan.MaxInFlight, 4096));
            _opensAhead = transport.OpenSsl is not null;
            _slackTicks = run.TimerSlackTicks;
        }

        public override void Run()
        {
            var run = Shard;
            if (_opensAhead && Stopwatch.GetTimestamp() < run.Clock.OriginTicks)
            {
                // Before the start (ConnectLead): every connection connects and handshakes now; the pacer's wait for
                // the first arrival serves their sockets, and each joins the idle ones when it is ready.
                _idle.Clear();
                var now = Stopwatch.GetTimestamp();
                foreach (var connection in Connections)
                {
                    connection.Open(now);
                }
            }

            var pacer = new ArrivalPacer(run.Clock.OriginTicks, Stopwatch.Frequency);
            Func<long, bool> waitUntil = PollUntil;
            Func<long> timestamp = Stopwatch.GetTimestamp;
            Action<long> emit = Emit;
            if (run._replay is null)
            {
                var arrivals = new ArrivalSchedule(run._plan.Arrivals!, run._plan.ShardIndex, run._plan.ShardCount, run._plan.Seed).GetEnumerator();
                pacer.Run(ref arrivals, waitUntil, timestamp, emit);
            }
            else
            {
                var timeline = run._replay.GetTimeline(run._stop);
                pacer.Run(ref timeline, waitUntil, timestamp, emit);
            }

            Drain();
        }

        public override void Opened(PacedHttp1Connection connection)
        {
            _idle.Push(connection);
            DispatchPending();
        }

        public override void Completed(PacedHttp1Connection connection, in ExchangeResult result)
        {
            Record(connection, result, recordLag: true);
            _idle.Push(connection);
        }

        /// <summary>
        /// The pacer's wait: serves sockets until <paramref name="due"/> (true) or cancellation (false). With a timer
        /// slack the loop sleeps up to the slack past the due time, but any wake-up after it (a response) ends the wait.
        /// </summary>
        private bool PollUntil(long due)
        {
            while (true)
            {
                if (Shard._stop.IsCancellationRequested)
                {
                    return false;
                }

                var now = Stopwatch.GetTimestamp();
                if (now >= due)
                {
                    return true;
                }

                // Quiet while the next arrival is near: responses are read when it is sent, not each on a wake-up of its own.
                Turn(due + _slackTicks, _quiet);
            }
        }

        /// <summary>One arrival fell due: counted, then dropped (in-flight cap reached), handed to an idle connection or queued.</summary>
        private void Emit(long due)
        {
            var run = Shard;
            var index = Interlocked.Increment(ref run._scheduled) - 1;
            var inFlight = Interlocked.Increment(ref run._inFlight);
            if (inFlight > run._plan.MaxInFlight)
            {
                Interlocked.Decrement(ref run._inFlight);
                run._recorder.RecordDropped(due);
                return;
            }

            run._recorder.ObserveInFlight(due, inFlight);
            run.EmitLateness!.RecordValue(LatencyHistograms.Clamp(ShardClock.MicrosFromTicks(Stopwatch.GetTimestamp() - due)));
            _pending.Enqueue(new Arrival(due, index));
            DispatchPending();
        }

        /// <summary>Hands queued arrivals, oldest first, to idle connections (an exchange that ends at once frees its connection again).</summary>
        private void DispatchPending()
        {
            var run = Shard;
            while (_pending.Count > 0 && _idle.TryPop(out var connection))
            {
                var arrival = _pending.Dequeue();
                var request = run._selector.Select(arrival.Index);
                if (run._stop.IsCancellationRequested)
                {
                    // Cancelled run: what was not sent is not counted.
                    Interlocked.Decrement(ref run._inFlight);
                    _idle.Push(connection);
                    continue;
                }

                connection.Start(new ExchangeRequest(request, arrival.Index, arrival.Index, arrival.IntendedTicks), Stopwatch.GetTimestamp());
            }
        }

        protected override void AfterTurn() => DispatchPending();

        protected override bool WaitsForAConnection => _pending.Count > 0;

        /// <summary>
        /// After the last arrival (or on cancellation): waits up to the request timeout plus <see cref="DrainGrace"/> for
        /// what is in flight; then what still waits for a connection and what is under way count as timeouts.
        /// </summary>
        private void Drain()
        {
            var run = Shard;
            var end = Stopwatch.GetTimestamp() + ShardClock.TicksFromSeconds((run._plan.RequestTimeout + DrainGrace).TotalSeconds);
            while (!run._stop.IsCancellationRequested && Volatile.Read(ref run._inFlight) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= end)
                {
                    run._drainExpired = true;
                    break;
                }

                Turn(end);
            }

            // Left over: queued arrivals, then exchanges under way (cancelled: not counted; drain expired: timeouts).
            while (_pending.TryDequeue(out var arrival))
            {
                Interlocked.Decrement(ref run._inFlight);
                if (run._stop.IsCancellationRequested)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                run._recorder.RecordExchange(run._selector.Select(arrival.Index), arrival.IntendedTicks, now, NotSentBeforeDrain(now), recordLag: false, cancelledMeansTimeout: true, sent: false);
            }

            AbortAll();
        }
    }
}
