using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Work the recording threads hand off because it must not delay them: one background thread for the process that, on
/// Linux, runs at the <c>SCHED_IDLE</c> policy, so it gets the CPU only while no ordinary thread wants it and is
/// preempted the moment one wakes.
/// </summary>
/// <remarks>
/// What runs here is the per-second window seal (<see cref="TimelineRecorder"/>: percentiles and the zlib encoding of a
/// window histogram, 1–2 ms). On the paced epoll loop the recording thread is also the one that sends the next
/// arrivals: a seal done there made ~30 arrivals a second 1–7 ms late at 20,000/s (issue 13), and on a pool thread of
/// ordinary priority, pinned to the same core, it still delayed the loop each second, because the scheduler does not
/// preempt a running thread of equal standing at once. An idle-policy thread can starve while the core is saturated,
/// so a job is a claim (<see cref="IdleJob.TryRun"/>: whoever reaches it first runs it) and its owner never waits for
/// this thread: it runs unclaimed jobs itself, and redoes one still under way here when it needs the result now.
/// </remarks>
internal static partial class IdleWork
{
    private const int SchedIdle = 5;

    private static readonly BlockingCollection<IdleJob> Queue = new(new ConcurrentQueue<IdleJob>());
    private static readonly Lock StartLock = new();
    private static volatile bool _started;

    /// <summary>Whether the worker thread runs at the idle policy (false before it started, or where the OS refused).</summary>
    public static bool IdlePolicy { get; private set; }

    /// <summary>Queues <paramref name="work"/>; its owner may also run it (<see cref="IdleJob.TryRun"/>) before this thread does.</summary>
    public static IdleJob Enqueue(Action work)
    {
        var job = new IdleJob(work);
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
                new Thread(Run) { IsBackground = true, Name = "Yardstick idle work" }.Start();
                _started = true;
            }
        }
    }

    private static void Run()
    {
        IdlePolicy = TrySetIdlePolicy();
        foreach (var job in Queue.GetConsumingEnumerable())
        {
            job.TryRun();
        }
    }

    /// <summary>Puts the calling thread in <c>SCHED_IDLE</c> (Linux; lowering a thread's policy needs no privilege).</summary>
    private static bool TrySetIdlePolicy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var parameter = 0; // struct sched_param { int sched_priority; }: 0 for SCHED_IDLE
            return SchedSetScheduler(0, SchedIdle, ref parameter) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, ref int parameter);
}

/// <summary>One piece of <see cref="IdleWork"/>: runs at most once through <see cref="TryRun"/>, on whichever thread claims it first.</summary>
internal sealed class IdleJob(Action work)
{
    private int _claimed;
    private volatile bool _done;

    /// <summary>The work has run to its end (it may have thrown: work reports its own result).</summary>
    public bool IsDone => _done;

    /// <summary>Runs the work here unless another thread claimed it first (false). What the work throws is swallowed on the idle thread only.</summary>
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
        catch (Exception) when (Thread.CurrentThread.Name == "Yardstick idle work")
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
