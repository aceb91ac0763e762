using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Measurements;

public sealed class InstanceUsageTrackerTests
{
    [Fact]
    public void Complete_RandomIntervalsReportedInEndOrder_MatchesBruteForce()
    {
        var rng = new Random(11);
        var intervals = new List<(long Start, long End)>();
        var t = 1_700_000_000_000_000L;
        for (var i = 0; i < 20_000; i++)
        {
            // Bursts and idle gaps; durations up to 1.5 s (inside the tracker's horizon).
            t += rng.Next(10) == 0 ? rng.Next(50_000, 400_000) : rng.Next(0, 2_000);
            intervals.Add((t, t + rng.Next(1, 1_500_000)));
        }

        var tracker = new InstanceUsageTracker("a");
        foreach (var (start, end) in intervals.OrderBy(x => x.End))
        {
            tracker.Record(start, end);
        }

        var usage = tracker.Complete();

        Assert.Equal(20_000, usage.Requests);
        Assert.Equal(BruteForceMaxOverlap(intervals), usage.MaxConcurrency);
        Assert.Equal(BruteForceUnion(intervals), usage.Busy);
    }

    [Fact]
    public void Complete_TouchingIntervals_Coalesce()
    {
        var tracker = new InstanceUsageTracker("a");
        tracker.Record(0, 10);
        tracker.Record(10, 20);
        tracker.Record(25, 30);

        var usage = tracker.Complete();

        Assert.Equal(1, usage.MaxConcurrency);
        Assert.Equal([new BusyInterval(0, 20), new BusyInterval(25, 30)], usage.Busy);
        Assert.Equal(TimeSpan.FromMicroseconds(25), usage.ActiveTime);
    }

    [Fact]
    public void Record_ContinuousLoad_KeepsMemorySmall()
    {
        var tracker = new InstanceUsageTracker("a");
        var t = 0L;
        var before = GC.GetAllocatedBytesForCurrentThread();

        // Ten minutes of 1 ms exchanges back to back on 4 connections: 2.4 M exchanges, never idle.
        for (var i = 0; i < 600_000; i++)
        {
            t += 1_000;
            for (var c = 0; c < 4; c++)
            {
                tracker.Record(t - 1_000 + c, t + c);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var usage = tracker.Complete();

        // Only the events of the 2 s horizon are held (~16 k at 4 000/s), not the 2.4 M exchanges.
        Assert.InRange(allocated, 0, 4_000_000);
        Assert.Single(usage.Busy);
        Assert.Equal(4, usage.MaxConcurrency);
    }

    private static int BruteForceMaxOverlap(List<(long Start, long End)> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (i.Start, 1), (i.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        int current = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }

    private static List<BusyInterval> BruteForceUnion(List<(long Start, long End)> intervals)
    {
        var result = new List<BusyInterval>();
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            if (result.Count > 0 && result[^1].EndUnixMicros >= start)
            {
                result[^1] = new BusyInterval(result[^1].StartUnixMicros, Math.Max(result[^1].EndUnixMicros, end));
            }
            else
            {
                result.Add(new BusyInterval(start, end));
            }
        }

        return result;
    }
}
