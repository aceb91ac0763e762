using System.Diagnostics;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Load;

/// <summary>
/// The closed model over HTTP/1.1 on Linux (plain, or https on the lean transport's OpenSSL engine): one thread drives
/// every virtual user's connection through one epoll set, as wrk's per-thread loop does, instead of one task per user
/// whose every response goes through .NET's socket-engine thread and a thread-pool hop.
/// </summary>
/// <remarks>
/// The rules are <see cref="VirtualUserAsync"/>'s, step for step: user i owns connection i; each exchange picks its
/// request (by the mix, or the journey's next step, every step of one walk sharing a data row), is counted and recorded
/// from its own start (no lag: a closed model has no intended timeline); after it the user thinks (the step's think time,
/// plus a doubling back-off from 10 ms to 1 s after a failed connect or TLS handshake) on the loop's timer, or goes again
/// at once. A user whose data ran out (<c>onExhausted: stop</c>) stops. Nothing new starts at the shard's end; the
/// exchanges under way get the request timeout plus <see cref="DrainGrace"/>, then count as timeouts; cancellation ends
/// everything at once, uncounted. <see cref="ClosedLoopVariable"/>=<c>tasks</c> keeps the task-per-user path.
/// </remarks>
internal sealed partial class ShardRun
{
    /// <summary>Environment variable: <c>tasks</c> keeps the task-per-user path for the closed model (for comparisons).</summary>
    public const string ClosedLoopVariable = "YARDSTICK_CLOSED_LOOP";

    /// <summary>The lean transport the closed model's loop can drive, or null for the task-per-user path.</summary>
    private LeanHttpTransport? ClosedLoopTransport() =>
        ParseClosedLoop(Environment.GetEnvironmentVariable(ClosedLoopVariable)) ? LoopTransport(_transport, AllowEventLoop) : null;

    /// <summary>Reads a value of <see cref="ClosedLoopVariable"/>: true for the loop (unset, empty or <c>loop</c>), false for <c>tasks</c>.</summary>
    /// <exception cref="InputException">Any other value.</exception>
    internal static bool ParseClosedLoop(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "loop" => true,
        "tasks" => false,
        _ => throw new InputException(ClosedLoopVariable, $"must be 'loop' or 'tasks', not '{value}'."),
    };

    private Task<bool> RunClosedOnEventLoop(LeanHttpTransport transport) =>
        RunOnEventLoop(transport, _plan.Concurrency, loop => new ClosedLoop(this, transport, loop));

    private sealed class ClosedLoop : LoopShard
    {
        private static readonly long MinBackoffTicks = ShardClock.TicksFromSeconds(0.010);
        private static readonly long MaxBackoffTicks = ShardClock.TicksFromSeconds(MaxConnectBackoff.TotalSeconds);

        private readonly long _endTicks;
        private readonly User[] _users;
        private readonly Queue<int> _ready;
        private readonly PriorityQueue<int, long> _thinking;

        public ClosedLoop(ShardRun run, LeanHttpTransport transport, LinuxEventLoop loop)
            : base(run, transport, loop, run._plan.Concurrency)
        {
            _endTicks = run.Clock.OriginTicks + ShardClock.TicksFromSeconds(run._plan.Duration.TotalSeconds);
            _users = new User[Connections.Length];
            _ready = new Queue<int>(Connections.Length);
            _thinking = new PriorityQueue<int, long>(Connections.Length);
        }

        public override void Run()
        {
            var run = Shard;
            var drainDeadline = Math.Max(Stopwatch.GetTimestamp(), _endTicks)
                + ShardClock.TicksFromSeconds((run._plan.RequestTimeout + DrainGrace).TotalSeconds);
            for (var i = 0; i < _users.Length; i++)
            {
                _ready.Enqueue(i);
            }

            StartReady();
            while (!run._stop.IsCancellationRequested
                && Stopwatch.GetTimestamp() < _endTicks
                && (Volatile.Read(ref run._inFlight) > 0 || _thinking.Count > 0))
            {
                Turn(_thinking.TryPeek(out _, out var due) ? Math.Min(due, _endTicks) : _endTicks);
            }

            // The end: nothing new starts; what is under way gets its timeout plus the grace, then counts as a timeout.
            while (!run._stop.IsCancellationRequested && Volatile.Read(ref run._inFlight) > 0)
            {
                if (Stopwatch.GetTimestamp() >= drainDeadline)
                {
                    run._drainExpired = true;
                    break;
                }

                Turn(drainDeadline);
            }

            AbortAll();
        }

        public override void Completed(PacedHttp1Connection connection, in ExchangeResult result)
        {
            // No lag: a closed model has no intended timeline.
            Record(connection, result, recordLag: false);
            var index = (int)connection.Id;
            ref var user = ref _users[index];
            if (result.Outcome == ExchangeOutcome.NotSent)
            {
                // The user's data ran out (onExhausted: stop): it has nothing more to send.
                return;
            }

            // A refused connect fails in microseconds; without a pause one user would spin thousands of them a second.
            user.BackoffTicks = result.Outcome is ExchangeOutcome.ConnectFailed or ExchangeOutcome.TlsFailed
                ? Math.Min(MaxBackoffTicks, Math.Max(MinBackoffTicks, user.BackoffTicks * 2))
                : 0;
            var pause = user.BackoffTicks + user.ThinkTicks;
            if (pause > 0)
            {
                _thinking.Enqueue(index, Stopwatch.GetTimestamp() + pause);
            }
            else
            {
                // Started after this turn's events are served (never from inside the exchange that just ended).
                _ready.Enqueue(index);
            }
        }

        protected override void AfterTurn()
        {
            var now = Stopwatch.GetTimestamp();
            while (_thinking.TryPeek(out var index, out var due) && due <= now)
            {
                _thinking.Dequeue();
                _ready.Enqueue(index);
            }

            StartReady();
        }

        /// <summary>Starts the next exchange of every user that is ready (one that ends at once queues its user again).</summary>
        private void StartReady()
        {
            while (_ready.TryDequeue(out var index))
            {
                Start(index);
            }
        }

        /// <summary>User <paramref name="index"/>'s next exchange, unless the shard has ended, drains or was cancelled.</summary>
        private void Start(int index)
        {
            var run = Shard;
            var now = Stopwatch.GetTimestamp();
            if (run._stop.IsCancellationRequested || run._drainExpired || now >= _endTicks)
            {
                return;
            }

            ref var user = ref _users[index];
            var sequence = Interlocked.Increment(ref run._scheduled) - 1;
            var steps = run._plan.Steps;
            var thinkTime = run._plan.ThinkTime;
            int request;
            if (steps.Count > 0)
            {
                if (user.Step == 0)
                {
                    user.RowKey = Interlocked.Increment(ref run._walks) - 1;
                }

                request = steps[user.Step].Request;
                thinkTime = steps[user.Step].ThinkTime ?? thinkTime;
                user.Step = (user.Step + 1) % steps.Count;
            }
            else
            {
                request = run._selector.Select(sequence);
                user.RowKey = sequence;
            }

            user.ThinkTicks = ShardClock.TicksFromSeconds(thinkTime.TotalSeconds);
            run._recorder.ObserveInFlight(now, Interlocked.Increment(ref run._inFlight));
            Connections[index].Start(new ExchangeRequest(request, sequence, user.RowKey, now), now);
        }

        /// <summary>One virtual user's place in its journey and what it waits after the exchange under way.</summary>
        private struct User
        {
            public int Step;
            public long RowKey;
            public long ThinkTicks;
            public long BackoffTicks;
        }
    }
}
