namespace Yardstick.Core.Load;

/// <summary>
/// Walks a shard's intended-start timeline and emits every arrival once it is due, batching wake-ups: the pacer sleeps
/// until the next arrival is due, then emits, in order, every arrival whose intended start has passed — each stamped with its <b>own</b> intended start, never the wake-up time, and never before
/// it is due. One wake-up thus serves every arrival that fell due while the thread slept (timer overshoot on this
/// kernel is ~60 µs, so at 20,000/s most wake-ups serve several), which also lets one target wake-up serve several
/// requests sent back to back. Latency stays measured from each intended start (no coordinated omission); whatever a
/// late wake-up costs shows in the scheduling lag.
/// </summary>
/// <remarks>
/// The clock and the wait are injected so the batching rules are tested without real time; the engine passes
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> and <see cref="Pacing.WaitUntil"/>. Nothing is allocated
/// per arrival or per wake-up.
/// </remarks>
internal sealed class ArrivalPacer
{
    private readonly long _originTicks;
    private readonly long _frequency;

    /// <param name="originTicks">Clock ticks at the shard's start (offset zero of the schedule).</param>
    /// <param name="frequency">Ticks per second of the clock.</param>
    public ArrivalPacer(long originTicks, long frequency)
    {
        _originTicks = originTicks;
        _frequency = frequency;
    }

    /// <summary>Times the pacer woke up and emitted at least one arrival.</summary>
    public long WakeUps { get; private set; }

    /// <summary>Arrivals emitted.</summary>
    public long Emitted { get; private set; }

    /// <summary>
    /// Emits every arrival of <paramref name="schedule"/> through <paramref name="emit"/> (its intended start in clock
    /// ticks). Returns false when <paramref name="waitUntil"/> reported cancellation, true when the timeline is done.
    /// </summary>
    /// <param name="schedule">The shard's arrivals.</param>
    /// <param name="waitUntil">Blocks until the clock reaches the given ticks (true) or the run is cancelled (false).</param>
    /// <param name="timestamp">The clock.</param>
    /// <param name="emit">Receives each arrival's intended start, in order.</param>
    public bool Run(ArrivalSchedule schedule, Func<long, bool> waitUntil, Func<long> timestamp, Action<long> emit)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var arrivals = schedule.GetEnumerator();
        return Run(ref arrivals, waitUntil, timestamp, emit);
    }

    /// <summary>
    /// Emits every arrival of <paramref name="arrivals"/> (any timeline: a rate curve's schedule, a replayed trace). A
    /// struct type parameter, so nothing is boxed or allocated per arrival.
    /// </summary>
    public bool Run<TArrivals>(ref TArrivals arrivals, Func<long, bool> waitUntil, Func<long> timestamp, Action<long> emit)
        where TArrivals : struct, IArrivalTimeline
    {
        if (!arrivals.MoveNext())
        {
            return true;
        }

        var due = _originTicks + arrivals.CurrentTicks(_frequency);
        while (true)
        {
            if (!waitUntil(due))
            {
                return false;
            }

            // Everything due by now goes out in this wake-up; arrivals falling due meanwhile wait for the next check
            // (which does not sleep: their due time has passed).
            var now = timestamp();
            WakeUps++;
            do
            {
                emit(due);
                Emitted++;
                if (!arrivals.MoveNext())
                {
                    return true;
                }

                due = _originTicks + arrivals.CurrentTicks(_frequency);
            }
            while (due <= now);
        }
    }
}

/// <summary>
/// A shard's intended-start timeline as the pacer walks it: arrivals in due order, each with its intended start as an
/// offset from the shard start. <see cref="ArrivalSchedule.Enumerator"/> (rate curves) and
/// <see cref="Replay.ReplayFeed.Timeline"/> (a replayed trace) are structs implementing it.
/// </summary>
public interface IArrivalTimeline
{
    /// <summary>Moves to the next arrival; false when there is none left.</summary>
    bool MoveNext();

    /// <summary>The current arrival's intended start, in ticks of a clock with <paramref name="frequency"/> ticks per second, from the shard start.</summary>
    long CurrentTicks(long frequency);
}
