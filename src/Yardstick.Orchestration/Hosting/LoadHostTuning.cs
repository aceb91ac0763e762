namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Process settings for a host that generates load next to the Durable engine. The thread pool starts with one worker
/// per core and adds one about every half second when work queues up; a single blocking call (storage client, process
/// management, the engine's own waits) then stalls every load continuation queued behind it — seen as 0.3–1.7 s gaps in
/// scheduling lag on a 2-core machine. A higher floor lets the pool add threads at once instead. The shared array pool
/// keeps a buffer per HTTP/2 stream in flight (<see cref="Core.Load.Transports.LoadProcessEnvironment.KeepHttp2Buffers"/>).
/// </summary>
public static class LoadHostTuning
{
    /// <summary>Minimum worker threads: enough for the engine, storage I/O and the shards of one process.</summary>
    public const int MinWorkerThreads = 64;

    /// <summary>Call first thing in <c>Main</c>: the array pool setting is read at the pool's first use.</summary>
    public static void Apply()
    {
        Core.Load.Transports.LoadProcessEnvironment.KeepHttp2Buffers();
        ThreadPool.GetMinThreads(out var worker, out var completion);
        if (worker < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, completion);
        }
    }
}
