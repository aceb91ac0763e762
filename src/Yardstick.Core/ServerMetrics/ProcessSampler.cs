using System.Diagnostics;

namespace Yardstick.Core.ServerMetrics;

/// <summary>
/// Reads one process's CPU time and resident memory once per wall-clock second, in the middle of the second, from the
/// moment it is created until it is disposed or the process exits, into a <see cref="ProcessSampleBuffer"/>. Only the
/// process itself is read, not its children. CPU is <c>Δ TotalProcessorTime / Δ wall</c> between consecutive readings
/// (user + system time, the same figures as <c>/proc/&lt;pid&gt;/stat</c> utime + stime on Linux), so the first point
/// comes one second after the start. The client's timeline windows are wall-clock seconds, so a second never holds two
/// samples: a reading that wakes late (a busy machine) belongs to the second it was taken in, and the next one waits
/// for the middle of the second after it. A missed second is simply absent; a tick that finds the process gone ends
/// the sampling. The sampler has its own thread (sleeping, woken once a second): on the thread pool a busy host's
/// starved pool delayed ticks by seconds (measured: 4 of 8 seconds missed under a loaded test run).
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessSampleBuffer _buffer;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <summary>Starts sampling <paramref name="process"/> (which must have started) into <paramref name="buffer"/>.</summary>
    public ProcessSampler(Process process, ProcessSampleBuffer buffer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(buffer);
        _process = process;
        _buffer = buffer;
        _time = time;
        _thread = new Thread(Loop) { IsBackground = true, Name = "yardstick-process-sampler" };
        _thread.Start();
    }

    /// <summary>
    /// How long to wait from <paramref name="nowMs"/> (Unix milliseconds) for the middle of the first wall-clock second
    /// after <paramref name="lastSecond"/> that is still ahead.
    /// </summary>
    internal static TimeSpan DelayToNextMidSecond(long nowMs, long lastSecond)
    {
        var second = Math.Max(lastSecond + 1, (nowMs - 500) / 1000 + 1);
        return TimeSpan.FromMilliseconds(second * 1000 + 500 - nowMs);
    }

    /// <summary>Sleeps until the middle of the next second after <paramref name="lastSecond"/>; false when stopped.</summary>
    private bool WaitForNextSecond(long lastSecond) =>
        !_stop.Token.WaitHandle.WaitOne(DelayToNextMidSecond(_time.GetUtcNow().ToUnixTimeMilliseconds(), lastSecond));

    private void Loop()
    {
        int pid;
        TimeSpan lastCpu;
        long lastTick;
        long lastSecond;
        try
        {
            if (!WaitForNextSecond(long.MinValue / 2))
            {
                return;
            }

            pid = _process.Id;
            _process.Refresh();
            lastCpu = _process.TotalProcessorTime;
            lastTick = _time.GetTimestamp();
            lastSecond = _time.GetUtcNow().ToUnixTimeSeconds();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException or ObjectDisposedException)
        {
            _buffer.Note("the target process could not be read: " + e.Message);
            return;
        }

        while (WaitForNextSecond(lastSecond))
        {
            TimeSpan cpu;
            long memory;
            try
            {
                _process.Refresh();
                if (_process.HasExited)
                {
                    return;
                }

                cpu = _process.TotalProcessorTime;
                memory = _process.WorkingSet64;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException or ObjectDisposedException)
            {
                // Exited between the check and the read: nothing more to sample.
                return;
            }

            var tick = _time.GetTimestamp();
            var at = _time.GetUtcNow();
            var wall = _time.GetElapsedTime(lastTick, tick);
            if (wall > TimeSpan.Zero)
            {
                _buffer.Add(new ProcessSample(at, pid, (cpu - lastCpu) / wall * 100, memory));
            }

            lastCpu = cpu;
            lastTick = tick;
            lastSecond = at.ToUnixTimeSeconds();
        }
    }

    /// <summary>Stops sampling and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _thread.Join(); // at most one /proc read away: the wait wakes on the cancellation
        _stop.Dispose();
    }
}

/// <summary>
/// The samples of one run's target, across restarts (each process adds to the same buffer). Bounded: past
/// <see cref="Capacity"/> samples new ones are dropped with a note, never the measured ones already kept.
/// </summary>
public sealed class ProcessSampleBuffer
{
    /// <summary>A day of one-second samples; runs are capped far below that.</summary>
    public const int Capacity = 86_400;

    private readonly List<ProcessSample> _samples = [];
    private readonly List<string> _notes = [];
    private readonly Lock _lock = new();
    private bool _full;

    public void Add(ProcessSample sample)
    {
        lock (_lock)
        {
            if (_samples.Count < Capacity)
            {
                _samples.Add(sample);
            }
            else if (!_full)
            {
                _full = true;
                _notes.Add($"sampling stopped after {Capacity} samples.");
            }
        }
    }

    public void Note(string note)
    {
        lock (_lock)
        {
            if (!_notes.Contains(note))
            {
                _notes.Add(note);
            }
        }
    }

    /// <summary>A copy of what was sampled so far.</summary>
    public ProcessSampleLog Snapshot()
    {
        lock (_lock)
        {
            return new ProcessSampleLog { Samples = _samples.ToArray(), Notes = _notes.ToArray() };
        }
    }
}
