using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Yardstick.Storage.Local;

/// <summary>
/// Starts Azurite (blob + queue + table; the Durable Task engine needs queues) from the repository's
/// <c>tools/azurite</c> on 127.0.0.1, installing it with <c>npm ci</c> the first time, and stops it again.
/// </summary>
/// <remarks>
/// <para>Ports: 10000/10001/10002 when <see cref="AzuriteOptions.PreferDefaultPorts"/> and all three are free, else three
/// free ports. Azurite's own output goes to <c>{location}/azurite.log</c>, never to the console.</para>
/// <para>Lifetime: the launcher that starts Azurite owns it and stops it (SIGTERM, so Azurite flushes its data files,
/// then a kill after a grace period) on <see cref="DisposeAsync"/>, when its own process exits normally, and on
/// SIGTERM, SIGINT (Ctrl+C), SIGHUP or SIGQUIT that no other handler cancels (<see cref="AzuriteOptions.StopOnTerminationSignals"/>).
/// Azurite runs in its own session (setsid) so a terminal's signals reach only this process. A SIGKILL of the owner cannot be observed: Azurite keeps running. The next launcher on the same
/// location recognises it from <c>azurite.state.json</c> (process id + start time, ports answering as Azurite) and
/// reuses it; if the recorded owner is gone it adopts it (and stops it when done), if the owner is alive it only
/// borrows it. An Azurite that no longer answers is stopped and a fresh one started. Azurite itself has no way to
/// notice its parent's death, so this reuse is what keeps a killed-then-resumed run on the same data without
/// leaking one emulator per crash.</para>
/// </remarks>
public sealed class AzuriteLauncher : IAsyncDisposable, IDisposable
{
    public const string LogFileName = "azurite.log";

    private const int MaxPortAttempts = 3;

    // Logs above this size are rotated once at start so a long-lived .yardstick folder does not grow without bound.
    private const long MaxLogBytes = 10 * 1024 * 1024;

    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly Process? _ownedProcess;
    private readonly EventHandler? _onProcessExit;
    private readonly PosixSignalRegistration[] _signalRegistrations = [];
    private int _stopped;

    private AzuriteLauncher(string location, int processId, int blobPort, int queuePort, int tablePort, Process? ownedProcess, bool reused, bool stopOnSignals, ILogger logger)
    {
        Location = location;
        ProcessId = processId;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        Reused = reused;
        _ownedProcess = ownedProcess;
        _logger = logger;
        ConnectionString = DevelopmentStorage.ConnectionString(blobPort, queuePort, tablePort);
        if (ownedProcess is not null)
        {
            _onProcessExit = (_, _) => Stop(ownedProcess, exiting: true);
            AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
            if (stopOnSignals)
            {
                // The process is about to end by the signal's default action unless a handler cancelled it.
                _signalRegistrations =
                [
                    .. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
                        .Select(signal => PosixSignalRegistration.Create(signal, context =>
                        {
                            if (!context.Cancel)
                            {
                                Stop(ownedProcess, exiting: true);
                            }
                        })),
                ];
            }
        }
    }

    /// <summary>Full path of the data folder.</summary>
    public string Location { get; }

    /// <summary>Azurite's log file (startup messages, errors; access log when enabled).</summary>
    public string LogPath => Path.Combine(Location, LogFileName);

    public int ProcessId { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>True when an Azurite started earlier (by another launcher) was reused instead of starting one.</summary>
    public bool Reused { get; }

    /// <summary>True when this launcher stops Azurite on dispose (it started or adopted it).</summary>
    public bool OwnsProcess => _ownedProcess is not null;

    /// <summary>Emulator connection string with explicit blob, queue and table endpoints on the actual ports.</summary>
    public string ConnectionString { get; }

    /// <summary>The connection as a <see cref="StorageConnection"/>.</summary>
    public StorageConnection Connection => StorageConnection.Parse(ConnectionString);

    /// <summary>Installs Azurite if needed, then reuses or starts one for <see cref="AzuriteOptions.Location"/> and waits until all three endpoints answer.</summary>
    public static async Task<AzuriteLauncher> StartAsync(AzuriteOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        logger ??= NullLogger.Instance;
        CheckPorts(options.Ports);
        var location = Path.GetFullPath(options.Location);
        Directory.CreateDirectory(location);
        var directory = AzuriteInstall.FindDirectory(options.AzuriteDirectory);
        await AzuriteInstall.EnsureInstalledAsync(directory, Path.Combine(location, "npm-ci.log"), options.InstallTimeout, logger, cancellationToken);

        // One decision at a time per location: two launchers must not start two Azurites on the same data files.
        using var gate = await FileLock.AcquireAsync(Path.Combine(location, "azurite.lock"), options.StartupTimeout * 2, cancellationToken);
        if (options.ReuseRunning && await TryReuseAsync(location, options.StopOnTerminationSignals, logger, cancellationToken) is { } reused)
        {
            return reused;
        }

        AzuriteProcess.RotateLog(Path.Combine(location, LogFileName), MaxLogBytes);
        for (var attempt = 1; ; attempt++)
        {
            var ports = options.Ports is { } fixedPorts ? [.. fixedPorts] : ChoosePorts(options.PreferDefaultPorts && attempt == 1);
            Log.StartingAzurite(logger, ports[0], ports[1], ports[2], location);
            var started = Stopwatch.GetTimestamp();
            var process = AzuriteProcess.Start(directory, location, ports, options);
            var outcome = await AzuriteProbe.WaitUntilReadyAsync(process, ports, options.StartupTimeout, cancellationToken);
            if (outcome == AzuriteProbe.Outcome.Ready)
            {
                new AzuriteState
                {
                    ProcessId = process.Id,
                    ProcessStartTicksUtc = AzuriteState.StartTicksUtc(process),
                    BlobPort = ports[0],
                    QueuePort = ports[1],
                    TablePort = ports[2],
                    Location = location,
                    OwnerProcessId = Environment.ProcessId,
                    OwnerStartTicksUtc = AzuriteProcess.OwnStartTicksUtc(),
                }.Write(location);
                Log.AzuriteReady(logger, process.Id, ports[0], ports[1], ports[2], Stopwatch.GetElapsedTime(started).TotalSeconds);
                return new AzuriteLauncher(location, process.Id, ports[0], ports[1], ports[2], process, reused: false, options.StopOnTerminationSignals, logger);
            }

            AzuriteProcess.Terminate(process, StopGracePeriod);
            process.Dispose();
            var log = AzuriteProcess.Tail(Path.Combine(location, LogFileName));
            if (outcome == AzuriteProbe.Outcome.Exited && log.Contains("EADDRINUSE", StringComparison.Ordinal) && attempt < MaxPortAttempts && options.Ports is null)
            {
                Log.PortsTaken(logger, attempt);
                continue;
            }

            throw new AzuriteLaunchException(outcome == AzuriteProbe.Outcome.Exited
                ? $"Azurite exited during startup; see {Path.Combine(location, LogFileName)}:{Environment.NewLine}{log}"
                : $"Azurite did not answer on ports {ports[0]}/{ports[1]}/{ports[2]} within {options.StartupTimeout.TotalSeconds:F0} s; see {Path.Combine(location, LogFileName)}.");
        }
    }

    /// <summary>Stops Azurite when this launcher owns it (see the type remarks); otherwise leaves it to its owner.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_ownedProcess is not null)
        {
            Stop(_ownedProcess, exiting: false);
        }
    }

    private void Stop(Process process, bool exiting)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (!exiting)
        {
            AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
            foreach (var registration in _signalRegistrations)
            {
                registration.Dispose();
            }

            Log.StoppingAzurite(_logger, process.Id);
        }

        // The state file goes as soon as Azurite has been asked to stop: if this process is killed while waiting
        // (test hosts are not given long to exit), no later launcher mistakes the stopping Azurite for a live one.
        AzuriteProcess.Terminate(process, StopGracePeriod, () => AzuriteState.Delete(Location));
        process.Dispose();
    }

    /// <summary>
    /// Cleans up after a launcher that was killed: when the Azurite recorded for <paramref name="location"/> is still
    /// running but its owner process is gone, stops it. Returns true when no live launcher owns the location any more
    /// (so its folder may be deleted), false while the owner is alive.
    /// </summary>
    public static bool StopIfOrphaned(string location)
    {
        location = Path.GetFullPath(location);
        if (AzuriteState.Read(location) is not { } state)
        {
            return true;
        }

        using (var owner = AzuriteState.FindLive(state.OwnerProcessId, state.OwnerStartTicksUtc))
        {
            if (owner is not null)
            {
                return false;
            }
        }

        using (var process = AzuriteState.FindLive(state.ProcessId, state.ProcessStartTicksUtc))
        {
            if (process is not null)
            {
                AzuriteProcess.Terminate(process, StopGracePeriod);
            }
        }

        AzuriteState.Delete(location);
        return true;
    }

    private static async Task<AzuriteLauncher?> TryReuseAsync(string location, bool stopOnSignals, ILogger logger, CancellationToken cancellationToken)
    {
        if (AzuriteState.Read(location) is not { } state)
        {
            return null;
        }

        var process = AzuriteState.FindLive(state.ProcessId, state.ProcessStartTicksUtc);
        if (process is null)
        {
            AzuriteState.Delete(location);
            return null;
        }

        int[] ports = [state.BlobPort, state.QueuePort, state.TablePort];
        if (!string.Equals(state.Location, location, StringComparison.Ordinal) || !await AzuriteProbe.AllAnswerAsync(ports, cancellationToken))
        {
            // Ours (same pid and start time) but not serving this location: stop it before starting afresh on the same files.
            Log.StoppingStaleAzurite(logger, process.Id, location);
            AzuriteProcess.Terminate(process, StopGracePeriod);
            process.Dispose();
            AzuriteState.Delete(location);
            return null;
        }

        using var owner = AzuriteState.FindLive(state.OwnerProcessId, state.OwnerStartTicksUtc);
        var adopt = owner is null;
        if (adopt)
        {
            state.With(Environment.ProcessId, AzuriteProcess.OwnStartTicksUtc()).Write(location);
        }
        else
        {
            process.Dispose();
        }

        Log.ReusingAzurite(logger, state.ProcessId, state.BlobPort, state.QueuePort, state.TablePort, location, adopt);
        return new AzuriteLauncher(location, state.ProcessId, state.BlobPort, state.QueuePort, state.TablePort, adopt ? process : null, reused: true, stopOnSignals, logger);
    }

    private static void CheckPorts(IReadOnlyList<int>? ports)
    {
        if (ports is not null && (ports.Count != 3 || ports.Distinct().Count() != 3 || ports.Any(p => p is < 1 or > 65535)))
        {
            throw new ArgumentException($"Ports must be three distinct ports (blob, queue, table) between 1 and 65535, not [{string.Join(", ", ports)}].", nameof(ports));
        }
    }

    private static int[] ChoosePorts(bool preferDefaults)
    {
        int[] defaults = [DevelopmentStorage.DefaultBlobPort, DevelopmentStorage.DefaultQueuePort, DevelopmentStorage.DefaultTablePort];
        return preferDefaults && defaults.All(Ports.IsFree) ? defaults : Ports.FindFree(3);
    }
}
