using System.Diagnostics;

namespace Yardstick.Core.ServerMetrics;

/// <summary>
/// Reads one process's CPU time and resident memory once per <see cref="Interval"/> from the moment it is created
/// until it is disposed or the process exits, into a <see cref="ProcessSampleBuffer"/>. Only the process itself is
/// read, not its children. CPU is <c>Δ TotalProcessorTime / Δ wall</c> between consecutive readings (user + system
/// time, the same figures as <c>/proc/&lt;pid&gt;/stat</c> utime + stime on Linux), so the first point comes one
/// interval after the start. A tick that finds the process gone ends the sampling; a missed tick is simply absent.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    /// <summary>One second: the client's timeline windows are one second wide.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly ProcessSampleBuffer _buffer;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts sampling <paramref name="process"/> (which must have started) into <paramref name="buffer"/>.</summary>
    public ProcessSampler(Process process, ProcessSampleBuffer buffer, TimeProvider time, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(buffer);
        _process = process;
        _buffer = buffer;
        _time = time;
        Interval = interval ?? DefaultInterval;
        _loop = Task.Run(LoopAsync);
    }

    public TimeSpan Interval { get; }

    private async Task LoopAsync()
    {
        int pid;
        TimeSpan lastCpu;
        long lastTick;
        try
        {
            // Tick in the middle of wall-clock seconds, so timer jitter never moves a sample into the next second
            // (one second with two samples and a false gap beside it).
            var intoSecond = _time.GetUtcNow().ToUnixTimeMilliseconds() % 1000;
            await Task.Delay(TimeSpan.FromMilliseconds((1500 - intoSecond) % 1000), _time, _stop.Token);

            pid = _process.Id;
            _process.Refresh();
            lastCpu = _process.TotalProcessorTime;
            lastTick = _time.GetTimestamp();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException or ObjectDisposedException)
        {
            _buffer.Note("the target process could not be read: " + e.Message);
            return;
        }

        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
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
                var wall = _time.GetElapsedTime(lastTick, tick);
                if (wall > TimeSpan.Zero)
                {
                    _buffer.Add(new ProcessSample(_time.GetUtcNow(), pid, (cpu - lastCpu) / wall * 100, memory));
                }

                lastCpu = cpu;
                lastTick = tick;
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>Stops sampling and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
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
