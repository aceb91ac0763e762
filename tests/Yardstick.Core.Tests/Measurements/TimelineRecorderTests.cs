using System.Diagnostics;
using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Measurements;

/// <summary>
/// Per-second windows whose seals run off the recording thread (<see cref="IdleWork"/>): every window must come out
/// exactly as recorded, whichever thread sealed it and however far the seals lagged behind the recording.
/// </summary>
public sealed class TimelineRecorderTests
{
    private static readonly DateTimeOffset Origin = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Complete_ThirtySecondsRecorded_EveryWindowHoldsExactlyItsOwnSecondsLatencies() => RecordThirtySecondsAndCheck();

    [Fact]
    public void Complete_IdleThreadStarvedThroughout_TheRecorderSealsEveryWindowItself()
    {
        // The idle thread is held in a job of its own for the whole recording (as on a saturated core): the recorder
        // runs its oldest seals itself past MaxPendingSeals, and Complete the rest, without waiting for that thread.
        using var release = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        IdleWork.Enqueue(() =>
        {
            holding.Set();
            release.Wait(TimeSpan.FromSeconds(60));
        });
        Assert.True(holding.Wait(TimeSpan.FromSeconds(60)));
        try
        {
            RecordThirtySecondsAndCheck();
        }
        finally
        {
            release.Set();
        }
    }

    private static void RecordThirtySecondsAndCheck()
    {
        var clock = new ShardClock(originTicks: 1_000_000, Origin);
        var recorder = new TimelineRecorder(clock, TimeSpan.FromSeconds(30));

        // Second s records s + 1 exchanges, all of latency (s + 1) ms: a histogram reused before its seal finished, or
        // not reset, would mix two seconds and show in the counts or the max.
        for (var second = 0; second < 30; second++)
        {
            for (var i = 0; i <= second; i++)
            {
                var end = clock.OriginTicks + (long)((second + (i + 0.5) / (second + 2.0)) * Stopwatch.Frequency);
                recorder.RecordExchange(end, isError: i == 0, latencyMicros: (second + 1) * 1000);
            }
        }

        var windows = recorder.Complete();

        Assert.Equal(30, windows.Count);
        for (var second = 0; second < 30; second++)
        {
            var window = windows[second];
            Assert.Equal(Origin.ToUnixTimeSeconds() + second, window.UnixSecond);
            Assert.Equal(second + 1, window.Requests);
            Assert.Equal(1, window.Errors);
            var histogram = HistogramCodec.Decode(window.Histogram!);
            Assert.Equal(second + 1, histogram.TotalCount);
            Assert.InRange(histogram.GetMaxValue(), (second + 1) * 1000, (second + 1) * 1010); // 2 significant digits
            Assert.Equal(histogram.GetMaxValue() / 1000.0, window.LatencyMaxMs);
            Assert.Equal(window.LatencyMaxMs, window.LatencyP50Ms, precision: 1);
        }
    }

    [Fact]
    public void IdleJob_ClaimedByManyThreadsAtOnce_RunsExactlyOnce()
    {
        var runs = 0;
        var job = new IdleJob(() => Interlocked.Increment(ref runs));
        using var start = new Barrier(4);
        var claimed = 0;

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            if (job.TryRun())
            {
                Interlocked.Increment(ref claimed);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, runs);
        Assert.Equal(1, claimed);
        Assert.True(job.IsDone);
        Assert.False(job.TryRun());
    }

    [Fact]
    public void IdleJob_WorkThrowsOnTheOwnersThread_TheOwnerSeesTheException()
    {
        var job = new IdleJob(() => throw new InvalidOperationException("seal failed"));

        var e = Assert.Throws<InvalidOperationException>(() => job.TryRun());

        Assert.Equal("seal failed", e.Message);
        Assert.True(job.IsDone);
    }

    [Fact]
    public async Task IdleWork_AJobThrows_TheIdleThreadLivesOnAndRunsTheNext()
    {
        var failing = IdleWork.Enqueue(() => throw new InvalidOperationException("seal failed"));
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IdleWork.Enqueue(() => ran.TrySetResult());

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(failing.IsDone);
    }

    [Fact]
    public async Task IdleWork_OnLinux_RunsItsJobsOnAThreadOfTheIdleSchedulingPolicy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Field 41 of /proc/thread-self/stat is the thread's scheduling policy as the kernel sees it (5 = SCHED_IDLE).
        var policy = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = IdleWork.Enqueue(() =>
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            policy.TrySetResult(fields[41 - 3]);
        });

        var seen = await policy.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("5", seen);
        Assert.True(IdleWork.IdlePolicy);
        Assert.False(job.TryRun());
    }
}
