using System.Collections.Concurrent;
using System.Diagnostics;

namespace Yardstick.Core.Load.LocalTargets;

/// <summary>
/// Starts the local host's child processes so that they die with it, even when it is killed with SIGKILL and no
/// shutdown code runs. On Linux the child is started through <c>setpriv --pdeathsig KILL</c> (util-linux): the kernel
/// sends it SIGKILL when its parent dies (<c>prctl(PR_SET_PDEATHSIG)</c>; .NET's <see cref="Process.Start()"/> cannot
/// run code in the child itself, and setpriv execs the command in the same process, so the pid is the command's).
/// </summary>
/// <remarks>
/// The "parent" of PR_SET_PDEATHSIG is the <em>thread</em> that forked the child, and .NET forks on the thread that
/// calls <see cref="Process.Start()"/>: a thread-pool thread retires after some idle seconds, which could kill a healthy
/// target mid-run. So every start happens on one dedicated thread that lives as long as the process. (Measured on this
/// kernel: a .NET-started child survived the exit of its starting thread anyway, a Python one did not; the dedicated
/// thread keeps us on the documented side.)
/// Where setpriv is missing (macOS, Windows, minimal images) processes start plainly; <see cref="TargetProcessRecords"/>
/// (a PID file per process, checked by the next CLI) covers those and any gap here.
/// </remarks>
public static class ChildProcesses
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<string?> Setpriv = new(FindSetpriv);
    private static readonly Lazy<Thread> Spawner = new(StartSpawner);

    /// <summary>True when children started here get SIGKILL on this process's death (Linux with setpriv --pdeathsig).</summary>
    public static bool DieWithParent => Setpriv.Value is not null;

    /// <summary>
    /// Starts <paramref name="info"/> (its file name and arguments as given; the wrapper, when used, is invisible to the
    /// caller: same pid, same environment, same working directory). Throws like <see cref="Process.Start(ProcessStartInfo)"/>.
    /// </summary>
    public static Process Start(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Spawner.Value;
        Requests.Add((Wrap(info), started));
        return started.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The start info to use: through setpriv when it is available and the command resolves to a file (an unknown
    /// command starts unwrapped, so it fails exactly as before, naming the command).
    /// </summary>
    internal static ProcessStartInfo Wrap(ProcessStartInfo info)
    {
        if (Setpriv.Value is not { } setpriv || info.UseShellExecute || Resolve(info.FileName) is not { } command)
        {
            return info;
        }

        var arguments = info.ArgumentList.ToList();
        info.FileName = setpriv;
        info.ArgumentList.Clear();
        foreach (var arg in (string[])["--pdeathsig", "KILL", "--", command, .. arguments])
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Resolves a command like .NET's Process.Start on Unix: rooted, next to this executable, the current directory, PATH.</summary>
    internal static string? Resolve(string fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        if (Path.IsPathRooted(fileName))
        {
            return IsExecutable(fileName) ? fileName : null;
        }

        var candidates = new List<string>();
        if (Path.GetDirectoryName(Environment.ProcessPath) is { } own)
        {
            candidates.Add(Path.Combine(own, fileName));
        }

        candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), fileName));
        if (!fileName.Contains('/', StringComparison.Ordinal))
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                candidates.Add(Path.Combine(dir, fileName));
            }
        }

        return candidates.Select(Path.GetFullPath).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static string? FindSetpriv()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("YARDSTICK_NO_PDEATHSIG") == "1")
        {
            return null;
        }

        var path = File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : File.Exists("/bin/setpriv") ? "/bin/setpriv" : null;
        if (path is null)
        {
            return null;
        }

        // --pdeathsig arrived in util-linux 2.33 (2018); an older setpriv would refuse the option and the target with it.
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(path, ["--pdeathsig", "KILL", "--", "/bin/true"])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (probe is null || !probe.WaitForExit(5000))
            {
                return null;
            }

            return probe.ExitCode == 0 ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static Thread StartSpawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(info) ?? throw new InvalidOperationException("process did not start"));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "yardstick child-process starter",
        };
        thread.Start();
        return thread;
    }
}
