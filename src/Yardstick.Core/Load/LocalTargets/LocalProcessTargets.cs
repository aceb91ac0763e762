using System.Collections.Concurrent;
using System.Diagnostics;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load.LocalTargets;

/// <summary>Options of <see cref="LocalProcessTargets"/>.</summary>
public sealed record LocalTargetOptions
{
    /// <summary>Path of <c>Yardstick.SampleTarget.dll</c>, which the command name <c>sample-target</c> runs.</summary>
    public string? SampleTargetPath { get; init; }

    /// <summary>Folder for the target processes' output logs (null: output is discarded).</summary>
    public string? LogDirectory { get; init; }

    /// <summary>
    /// Folder for the PID files of running targets (<see cref="TargetProcessRecords"/>; null: none kept), so the next
    /// host stops the targets of a host that was killed before it could.
    /// </summary>
    public string? PidDirectory { get; init; }

    public TargetPolicy Policy { get; init; } = TargetPolicy.LoopbackOnly;
}

/// <summary>
/// Starts, tracks and stops local target processes for the local host. Every process it started is killed
/// (with its children) when the host disposes it, so a finished or interrupted CLI leaves nothing behind. A killed
/// host cannot dispose anything: its targets were started to die with it (<see cref="ChildProcesses"/>, Linux) and
/// are recorded in PID files the next host checks (<see cref="TargetProcessRecords"/>, everywhere).
/// </summary>
public sealed class LocalProcessTargets : ILocalTargets, IAsyncDisposable
{
    private readonly LocalTargetOptions _options;
    private readonly TimeProvider _time;
    private static readonly IReadOnlyDictionary<string, string> NoOverrides = new Dictionary<string, string>();

    private readonly ConcurrentDictionary<string, Process> _processes = new();

    /// <summary>The environment overrides each tracked process was started with (sweep variants).</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _overrides = new();
    /// <summary>Each run's target samples (kept across restarts until <see cref="StopAsync"/>) and the live sampler.</summary>
    private readonly ConcurrentDictionary<string, ProcessSampleBuffer> _samples = new();
    private readonly ConcurrentDictionary<string, ProcessSampler> _samplers = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HttpClient _probe;
    private readonly TargetProcessRecords? _records;

    public LocalProcessTargets(LocalTargetOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _records = options.PidDirectory is { } pids ? new TargetProcessRecords(pids) : null;
        _probe = TargetConnector.CreateProbeClient(options.Policy, TimeSpan.FromSeconds(2));
    }

    public Task EnsureRunningAsync(string runId, ProcessSpec spec, string readyUrl, string? baseDirectory, CancellationToken cancellationToken) =>
        EnsureRunningAsync(runId, spec, NoOverrides, readyUrl, baseDirectory, cancellationToken);

    public async Task EnsureRunningAsync(string runId, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, string readyUrl, string? baseDirectory, CancellationToken cancellationToken)
    {
        _options.Policy.EnsureUrlAllowed(readyUrl, "target.process.readyUrl");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_processes.TryGetValue(runId, out var running) && !running.HasExited)
            {
                if (SweepEnvironment.Same(_overrides.GetValueOrDefault(runId) ?? NoOverrides, environment))
                {
                    return;
                }

                // Started for another sweep variant (a resumed run, or a second worker): measure only the right one.
                StopTracked(runId);
            }
            else if (environment.Count == 0 && await AnswersAsync(readyUrl, cancellationToken))
            {
                _samples.GetOrAdd(runId, _ => new ProcessSampleBuffer())
                    .Note($"{Redaction.RedactUrl(readyUrl)} was already served by a process this host did not start, so it was not sampled.");
                return;
            }

            await StartTrackedAsync(runId, spec, environment, readyUrl, baseDirectory, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<TimeSpan> RestartAsync(string runId, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, string readyUrl, string? baseDirectory, CancellationToken cancellationToken)
    {
        _options.Policy.EnsureUrlAllowed(readyUrl, "target.process.readyUrl");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            StopTracked(runId);
            return await StartTrackedAsync(runId, spec, environment, readyUrl, baseDirectory, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts a fresh process (no readiness wait): cold-start probes time it themselves.</summary>
    public Process StartFresh(ProcessSpec spec, string? baseDirectory, string logName) => Start(spec, baseDirectory, logName);

    /// <summary>Kills a process this host started (with its children) and removes its PID file.</summary>
    public void Stop(Process process)
    {
        var pid = process.Id;
        Kill(process);
        _records?.Forget(pid);
    }

    public Task StopAsync(string runId, CancellationToken cancellationToken)
    {
        StopTracked(runId);
        _samples.TryRemove(runId, out _);
        return Task.CompletedTask;
    }

    public ProcessSampleLog GetSamples(string runId) =>
        _samples.TryGetValue(runId, out var buffer)
            ? buffer.Snapshot()
            : ProcessSampleLog.None("this host did not start the run's target process (another worker's, or a run resumed after the host that started it exited), so it holds no samples.");

    public ValueTask DisposeAsync()
    {
        foreach (var key in _samplers.Keys)
        {
            StopSampler(key);
        }

        foreach (var key in _processes.Keys)
        {
            if (_processes.TryRemove(key, out var process))
            {
                Stop(process);
            }
        }

        _probe.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Kills a process and its children, ignoring one that is already gone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void StopTracked(string runId)
    {
        StopSampler(runId);
        _overrides.TryRemove(runId, out _);
        if (_processes.TryRemove(runId, out var process))
        {
            Stop(process);
        }
    }

    /// <summary>Stops the sampler before its process is killed and disposed (the sampler reads the process object).</summary>
    private void StopSampler(string runId)
    {
        if (_samplers.TryRemove(runId, out var sampler))
        {
            // Cancelling ends the loop at its next await; waiting here keeps it from reading a disposed process.
            sampler.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Starts the run's process with <paramref name="environment"/> and waits until it serves; returns start-to-first-2xx.</summary>
    private async Task<TimeSpan> StartTrackedAsync(string runId, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, string readyUrl, string? baseDirectory, CancellationToken cancellationToken)
    {
        if (environment.Count > 0 && await AnswersAsync(readyUrl, cancellationToken))
        {
            // Our own process is gone, so someone else serves the URL: starting ours would fail to bind, or worse, the
            // load would measure a process without the variant's settings.
            throw new InputException(
                "target.process",
                $"{Redaction.RedactUrl(readyUrl)} is served by a process this host did not start, so it cannot be started with {string.Join(", ", environment.Keys)} set for the sweep; stop that process or use another port.");
        }

        var started = _time.GetTimestamp();
        var logName = environment.Count == 0 ? runId : runId + "-" + SafeFileName(string.Join("_", environment.Select(kv => kv.Key + "-" + kv.Value)));
        var process = Start(spec, baseDirectory, logName, environment);
        _processes[runId] = process;
        StopSampler(runId);
        _samplers[runId] = new ProcessSampler(process, _samples.GetOrAdd(runId, _ => new ProcessSampleBuffer()), _time);
        _overrides[runId] = environment;
        await WaitUntilReadyAsync(process, spec, readyUrl, cancellationToken);
        return _time.GetElapsedTime(started);
    }

    private Process Start(ProcessSpec spec, string? baseDirectory, string logName, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = ResolveDirectory(spec.WorkingDirectory, baseDirectory),
        };

        if (spec.Command == "sample-target")
        {
            var dll = _options.SampleTargetPath;
            if (dll is null || !File.Exists(dll))
            {
                throw new InputException("target.process.command", $"the built-in 'sample-target' was not found (looked for {dll ?? "an unset path"}); build the solution first.");
            }

            info.FileName = "dotnet";
            info.ArgumentList.Add(dll);
        }
        else
        {
            info.FileName = spec.Command;
        }

        foreach (var arg in spec.Args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in spec.Env)
        {
            info.Environment[name] = SecretReferences.Resolve(value, $"target.process.env.{name}", Environment.GetEnvironmentVariable);
        }

        // Sweep values are literal (never secret references) and win over target.process.env.
        foreach (var (name, value) in overrides ?? NoOverrides)
        {
            info.Environment[name] = value;
        }

        var arguments = info.ArgumentList.ToList();
        Process process;
        try
        {
            process = ChildProcesses.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputException("target.process.command", $"could not start '{spec.Command}': {e.Message}");
        }

        _records?.Record(process, arguments, spec.Command);
        Drain(process, logName);
        return process;
    }

    private void Drain(Process process, string logName)
    {
        StreamWriter? log = null;
        if (_options.LogDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            log = new StreamWriter(Path.Combine(dir, SafeFileName(logName) + ".log"), append: true) { AutoFlush = true };
        }

        void Write(string? line)
        {
            if (line is null || log is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.EnableRaisingEvents = true;
        var pid = process.Id;
        process.Exited += (_, _) =>
        {
            log?.Dispose();
            _records?.Forget(pid);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private async Task WaitUntilReadyAsync(Process process, ProcessSpec spec, string readyUrl, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + spec.ReadyTimeout;
        while (_time.GetUtcNow() < deadline)
        {
            if (process.HasExited)
            {
                throw new InputException("target.process", $"the target process '{spec.Command}' exited with code {process.ExitCode} before {Redaction.RedactUrl(readyUrl)} answered.");
            }

            if (await AnswersAsync(readyUrl, cancellationToken, requireSuccess: true))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        throw new InputException("target.process.readyTimeout", $"{Redaction.RedactUrl(readyUrl)} did not answer 2xx within {DurationText.Format(spec.ReadyTimeout)} after starting '{spec.Command}'.");
    }

    private async Task<bool> AnswersAsync(string url, CancellationToken cancellationToken, bool requireSuccess = false)
    {
        try
        {
            using var response = await _probe.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return !requireSuccess || response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string ResolveDirectory(string? workingDirectory, string? baseDirectory)
    {
        var root = baseDirectory ?? Directory.GetCurrentDirectory();
        return workingDirectory is null ? root : Path.GetFullPath(workingDirectory, root);
    }

    private static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
