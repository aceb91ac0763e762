using System.Diagnostics;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// Runs the deadline checks of every <see cref="LeanHttpTransport"/> in the process on one dedicated background thread.
/// </summary>
/// <remarks>
/// A <see cref="Timer"/> per transport would hand each tick to the thread pool: a worker wakes for a few microseconds of
/// work and then spins (<c>sched_yield</c>) before it sleeps again. Under a saturating load on one core that spinning
/// took ~4 % of the generator's CPU (a <c>perf</c> profile of <c>bench/Yardstick.LoadBench</c>: every sample of the
/// ".NET TP Worker" threads was the semaphore's spin), paid per tick, whatever the request rate. A thread of its own
/// sleeps on a monitor until the earliest transport is due and never touches the thread pool. It starts with the first
/// transport and then stays, parked, for the life of the process.
/// </remarks>
internal static class DeadlineWatcher
{
    private static readonly object Gate = new();
    private static Entry[] _entries = [];
    private static bool _started;

    /// <summary>Checks <paramref name="transport"/> every <paramref name="period"/> until <see cref="Remove"/>.</summary>
    public static void Add(LeanHttpTransport transport, TimeSpan period)
    {
        var periodTicks = Math.Max(1, (long)(period.TotalSeconds * Stopwatch.Frequency));
        lock (Gate)
        {
            _entries = [.. _entries, new Entry(transport, periodTicks) { Due = Stopwatch.GetTimestamp() + periodTicks }];
            if (!_started)
            {
                _started = true;
                new Thread(Run) { IsBackground = true, Name = "Yardstick deadlines" }.Start();
            }

            // The new entry may be due before the time the thread sleeps until.
            Monitor.Pulse(Gate);
        }
    }

    /// <summary>Stops checking <paramref name="transport"/> (a check already under way may still finish).</summary>
    public static void Remove(LeanHttpTransport transport)
    {
        lock (Gate)
        {
            _entries = [.. _entries.Where(e => e.Transport.TryGetTarget(out var t) && t != transport)];
        }
    }

    private static void Run()
    {
        while (true)
        {
            Entry[] entries;
            lock (Gate)
            {
                while (true)
                {
                    entries = _entries;
                    var wait = Timeout.Infinite;
                    if (entries.Length != 0)
                    {
                        var now = Stopwatch.GetTimestamp();
                        var next = entries.Min(e => e.Due);
                        if (next <= now)
                        {
                            break;
                        }

                        // Rounded up: waking a little late is harmless, waking early only costs another loop.
                        wait = (int)Math.Min(int.MaxValue, ((next - now) * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
                    }

                    Monitor.Wait(Gate, wait);
                }
            }

            // Outside the lock: a check takes each connection's own lock, and Add/Remove must not wait for it.
            var checkedAt = Stopwatch.GetTimestamp();
            var collected = false;
            foreach (var entry in entries)
            {
                if (entry.Due <= checkedAt)
                {
                    if (entry.Transport.TryGetTarget(out var transport))
                    {
                        transport.CheckDeadlines(checkedAt);
                    }
                    else
                    {
                        collected = true;
                    }

                    entry.Due = checkedAt + entry.PeriodTicks;
                }
            }

            if (collected)
            {
                lock (Gate)
                {
                    _entries = [.. _entries.Where(e => e.Transport.TryGetTarget(out _))];
                }
            }
        }
    }

    /// <summary>Holds the transport weakly, as a <see cref="Timer"/> did: one never disposed is still collected.</summary>
    private sealed class Entry(LeanHttpTransport transport, long periodTicks)
    {
        public WeakReference<LeanHttpTransport> Transport { get; } = new(transport);

        public long PeriodTicks { get; } = periodTicks;

        /// <summary>Written by the watcher thread only (and once before the entry is published).</summary>
        public long Due { get; set; }
    }
}
