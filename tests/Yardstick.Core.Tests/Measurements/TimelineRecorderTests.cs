using System.Diagnostics;
using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Measurements;

/// <summary>
/// Per-second windows whose seals run off the recording thread (<see cref="BackgroundWork"/>): every window must come out
/// exactly as recorded, whichever thread sealed it and however far the seals lagged behind the recording.
/// </summary>
public sealed class TimelineRecorderTests
{
    private static readonly DateTimeOffset Origin = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Complete_ThirtySecondsRecorded_EveryWindowHoldsExactlyItsOwnSecondsLatencies() => RecordThirtySecondsAndCheck();

    [Fact]
    public void Complete_BackgroundThreadBusyThroughout_TheRecorderSealsEveryWindowItself()
    {
        // The background thread is held in a job of its own for the whole recording (as on a saturated core): the recorder
        // runs its oldest seals itself past MaxPendingSeals, and Complete the rest, without waiting for that thread.
        using var release = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        BackgroundWork.Enqueue(() =>
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
    public void BackgroundJob_ClaimedByManyThreadsAtOnce_RunsExactlyOnce()
    {
        var runs = 0;
        var job = new BackgroundJob(() => Interlocked.Increment(ref runs));
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
    public void BackgroundJob_WorkThrowsOnTheOwnersThread_TheOwnerSeesTheException()
    {
        var job = new BackgroundJob(() => throw new InvalidOperationException("seal failed"));

        var e = Assert.Throws<InvalidOperationException>(() => job.TryRun());

        Assert.Equal("seal failed", e.Message);
        Assert.True(job.IsDone);
    }

    [Fact]
    public async Task BackgroundWork_AJobThrows_TheThreadLivesOnAndRunsTheNext()
    {
        var failing = BackgroundWork.Enqueue(() => throw new InvalidOperationException("seal failed"));
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BackgroundWork.Enqueue(() => ran.TrySetResult());

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(failing.IsDone);
    }

    [Fact]
    public async Task BackgroundWork_RunsItsJobsOnItsOwnThreadOfOrdinaryPriority()
    {
        // Ordinary priority on purpose: a thread that may starve (SCHED_IDLE) stalls the process when a garbage
        // collection waits for it to reach a safe point. Field 41 of /proc/thread-self/stat is the policy (0 = SCHED_OTHER).
        var seen = new TaskCompletionSource<(string Name, string? Policy)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = BackgroundWork.Enqueue(() =>
        {
            string? policy = null;
            if (OperatingSystem.IsLinux())
            {
                var stat = File.ReadAllText("/proc/thread-self/stat");
                policy = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[41 - 3];
            }

            seen.TrySetResult((Thread.CurrentThread.Name!, policy));
        });

        var (name, policy) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(BackgroundWork.ThreadName, name);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("0", policy);
        }

        Assert.False(job.TryRun());
    }
}
