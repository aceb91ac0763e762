using System.Collections.Concurrent;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Work the recording threads hand off because it must not delay them: one background thread for the process.
/// </summary>
/// <remarks>
/// What runs here is the per-second window seal (<see cref="TimelineRecorder"/>: percentiles and the zlib encoding of a
/// window histogram, 1–2 ms). On the paced epoll loop the recording thread is also the one that sends the next
/// arrivals: a seal done there made ~30 arrivals a second 1–7 ms late at 20,000/s (issue 13). The thread has ordinary
/// priority. Linux's <c>SCHED_IDLE</c> was tried and removed: a thread that may not run for seconds on a busy machine
/// stalls the whole process whenever the runtime must stop every thread (a garbage collection waits for it to reach a
/// safe point) or when it is preempted holding a lock the recorder needs — a CLI end-to-end test under load hung past
/// its 240 s limit that way. A job is a claim (<see cref="BackgroundJob.TryRun"/>: whoever reaches it first runs it)
/// and its owner never waits for this thread: it runs unclaimed jobs itself, and redoes one still under way here when
/// it needs the result now.
/// </remarks>
internal static class BackgroundWork
{
    /// <summary>The worker thread's name.</summary>
    public const string ThreadName = "Yardstick background work";

    private static readonly BlockingCollection<BackgroundJob> Queue = new(new ConcurrentQueue<BackgroundJob>());
    private static readonly Lock StartLock = new();
    private static volatile bool _started;

    /// <summary>Queues <paramref name="work"/>; its owner may also run it (<see cref="BackgroundJob.TryRun"/>) before this thread does.</summary>
    public static BackgroundJob Enqueue(Action work)
    {
        var job = new BackgroundJob(work);
        EnsureStarted();
        Queue.Add(job);
        return job;
    }

    private static void EnsureStarted()
    {
        if (_started)
        {
            return;
        }

        lock (StartLock)
        {
            if (!_started)
            {
                new Thread(Run) { IsBackground = true, Name = ThreadName }.Start();
                _started = true;
            }
        }
    }

    private static void Run()
    {
        foreach (var job in Queue.GetConsumingEnumerable())
        {
            job.TryRun();
        }
    }
}

/// <summary>One piece of <see cref="BackgroundWork"/>: runs at most once through <see cref="TryRun"/>, on whichever thread claims it first.</summary>
internal sealed class BackgroundJob(Action work)
{
    private int _claimed;
    private volatile bool _done;

    /// <summary>The work has run to its end (it may have thrown: work reports its own result).</summary>
    public bool IsDone => _done;

    /// <summary>Runs the work here unless another thread claimed it first (false). What the work throws is swallowed on the background thread only.</summary>
    public bool TryRun()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return false;
        }

        try
        {
            work();
        }
        catch (Exception) when (Thread.CurrentThread.Name == BackgroundWork.ThreadName)
        {
            // The owner sees no result and does the work again itself, where the exception then surfaces.
        }
        finally
        {
            _done = true;
        }

        return true;
    }
}
