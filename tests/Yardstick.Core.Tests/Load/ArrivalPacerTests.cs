using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Load;

/// <summary>
/// The batching pacer on a fake clock (1 tick = 1 µs): one wake-up serves every arrival that fell due while it slept,
/// each still stamped with its own intended start, none before it is due, and nothing is lost or reordered.
/// </summary>
public sealed class ArrivalPacerTests
{
    private const long Frequency = 1_000_000;

    [Fact]
    public void Run_WakeUpsOvershoot_OneWakeUpServesEveryDueArrival_EachWithItsOwnIntendedStart()
    {
        // 10,000/s for 10 ms: arrivals due at 50, 150, …, 9,950 µs. Every sleep overshoots by 360 µs.
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(10_000), TimeSpan.FromMilliseconds(10)));
        var clock = new FakeClock(start: 1_000);
        var pacer = new ArrivalPacer(originTicks: 1_000, Frequency);
        var emitted = new List<(long Intended, long At)>();

        var finished = pacer.Run(schedule, due => clock.SleepUntil(due, overshoot: 360), clock.Now, due => emitted.Add((due, clock.Current)));

        Assert.True(finished);
        Assert.Equal(IntendedStarts(schedule, originTicks: 1_000), emitted.Select(e => e.Intended));
        Assert.Equal(1_050, emitted[0].Intended);
        Assert.InRange(emitted[^1].Intended, 10_949, 10_950);
        Assert.All(emitted, e => Assert.True(e.At >= e.Intended, $"arrival {e.Intended} sent early at {e.At}"));

        // Each wake-up (at due + 360 µs) covers four arrivals instead of one.
        Assert.Equal(100, pacer.Emitted);
        Assert.Equal(25, pacer.WakeUps);
        Assert.Equal(pacer.WakeUps, clock.Sleeps);
    }

    [Fact]
    public void Run_PreciseWakeUps_OneWakeUpPerArrival_NoLag()
    {
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(1_000), TimeSpan.FromMilliseconds(20)));
        var clock = new FakeClock(start: 0);
        var pacer = new ArrivalPacer(originTicks: 0, Frequency);
        var lags = new List<long>();

        pacer.Run(schedule, due => clock.SleepUntil(due, overshoot: 0), clock.Now, due => lags.Add(clock.Current - due));

        Assert.Equal(20, lags.Count);
        Assert.All(lags, lag => Assert.Equal(0, lag));
        Assert.Equal(20, pacer.WakeUps);
    }

    [Fact]
    public void Run_StartedLate_EmitsTheBacklogAtOnceWithTheOriginalIntendedStarts()
    {
        // The pacer thread starts 5 ms after the shard's origin: the five arrivals already due go out in one wake-up,
        // each keeping its intended start, so their latency counts the 5 ms (no coordinated omission).
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(1_000), TimeSpan.FromMilliseconds(10)));
        var clock = new FakeClock(start: 5_000);
        var pacer = new ArrivalPacer(originTicks: 0, Frequency);
        var emitted = new List<(long Intended, long At)>();

        pacer.Run(schedule, due => clock.SleepUntil(due, overshoot: 0), clock.Now, due => emitted.Add((due, clock.Current)));

        Assert.Equal([500, 1_500, 2_500, 3_500, 4_500], emitted.Take(5).Select(e => e.Intended));
        Assert.All(emitted.Take(5), e => Assert.Equal(5_000, e.At));
        Assert.Equal(10, emitted.Count);
        Assert.Equal(6, pacer.WakeUps);
    }

    [Fact]
    public void Run_WaitCancelled_ReturnsFalseAndEmitsNothingMore()
    {
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(1_000), TimeSpan.FromMilliseconds(10)));
        var clock = new FakeClock(start: 0);
        var pacer = new ArrivalPacer(originTicks: 0, Frequency);
        var emitted = 0;

        var finished = pacer.Run(schedule, due => due < 3_000 && clock.SleepUntil(due, overshoot: 0), clock.Now, _ => emitted++);

        Assert.False(finished);
        Assert.Equal(3, emitted);
    }

    [Fact]
    public void Run_EmptySchedule_ReturnsTrueWithoutWaiting()
    {
        var schedule = new ArrivalSchedule(ArrivalCurve.Constant(Rate.FromPerSecond(0), TimeSpan.FromSeconds(1)));
        var pacer = new ArrivalPacer(originTicks: 0, Frequency);

        Assert.True(pacer.Run(schedule, _ => throw new InvalidOperationException("waited"), () => 0, _ => throw new InvalidOperationException("emitted")));
        Assert.Equal(0, pacer.WakeUps);
    }

    private static List<long> IntendedStarts(ArrivalSchedule schedule, long originTicks)
    {
        var starts = new List<long>();
        var arrivals = schedule.GetEnumerator();
        while (arrivals.MoveNext())
        {
            starts.Add(originTicks + arrivals.CurrentTicks(Frequency));
        }

        return starts;
    }

    /// <summary>A clock that only moves when the pacer sleeps: to the due time plus a fixed overshoot.</summary>
    private sealed class FakeClock(long start)
    {
        public long Current { get; private set; } = start;

        public int Sleeps { get; private set; }

        public long Now() => Current;

        public bool SleepUntil(long due, long overshoot)
        {
            if (due > Current)
            {
                Current = due + overshoot;
            }

            Sleeps++;
            return true;
        }
    }
}
