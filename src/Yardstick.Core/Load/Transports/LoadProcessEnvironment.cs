namespace Yardstick.Core.Load.Transports;

/// <summary>
/// Runtime settings a process that generates load sets for itself, first thing in <c>Main</c>: the runtime reads them
/// once, at first use, so they must be in the environment before any socket or pooled buffer is used.
/// </summary>
public static class LoadProcessEnvironment
{
    /// <summary>The shared <c>ArrayPool</c>'s arrays kept per size and per partition (runtime default: 32).</summary>
    public const string ArraysPerPartitionVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>
    /// Pooled arrays kept per size: at least the requests a shard keeps in flight (the open model's default cap is 1,000).
    /// </summary>
    public const int ArraysPerPartition = 1024;

    /// <summary>
    /// Lets the shared array pool keep a buffer for every HTTP/2 request in flight. <c>SocketsHttpHandler</c> rents a
    /// 16 KB buffer per HTTP/2 stream from the shared pool; a process pinned to one core has one partition of 32, so
    /// with more than ~32 streams in flight most rents allocate a new 16 KB array (measured: 11 KB per request and a
    /// third of the throughput lost, 64 streams). The pool only keeps arrays that were in use at once, so this bounds
    /// what it holds by the peak concurrency. A value already in the environment wins.
    /// </summary>
    public static void KeepHttp2Buffers()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ArraysPerPartitionVariable)))
        {
            Environment.SetEnvironmentVariable(ArraysPerPartitionVariable, ArraysPerPartition.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
