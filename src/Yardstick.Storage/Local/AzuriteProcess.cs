using System.Diagnostics;

namespace Yardstick.Storage.Local;

/// <summary>Starting and stopping the Azurite process, and its log file, for <see cref="AzuriteLauncher"/>.</summary>
internal static class AzuriteProcess
{
    /// <summary>Starts Azurite on 127.0.0.1 with the given ports and data folder, its output appended to its log file.</summary>
    public static Process Start(string directory, string location, int[] ports, AzuriteOptions options)
    {
        var bin = AzuriteInstall.BinPath(directory);
        var arguments = new List<string>
        {
            "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", location,
        };
        if (!options.AccessLog)
        {
            arguments.Add("--silent");
        }

        if (options.Loose)
        {
            arguments.Add("--loose");
        }

        var logPath = Path.Combine(location, AzuriteLauncher.LogFileName);
        ProcessStartInfo info;
        if (OperatingSystem.IsWindows())
        {
            // cmd redirects the output to the log file itself, so Azurite does not depend on a pipe to this process.
            info = new ProcessStartInfo("cmd.exe") { UseShellExecute = false, CreateNoWindow = true, WorkingDirectory = location };

            // A raw command line: cmd does not understand the backslash escaping that ArgumentList would add.
            info.Arguments = $"/d /s /c \"\"{bin}\" {string.Join(' ', arguments.Select(a => $"\"{a}\""))} >> \"{logPath}\" 2>&1\"";
        }
        else
        {
            // The shell opens the log file and execs Azurite in its place: the pid is Azurite's, and its output never
            // goes through a pipe to this process, so it keeps running (and logging) if this process is killed.
            // setsid (where present) gives Azurite its own session, so a terminal's Ctrl+C or hangup reaches only this
            // process, which decides when Azurite stops (a child that is not a group leader keeps its pid under setsid).
            info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = location };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(
                "exec >> \"$YARDSTICK_AZURITE_LOG\" 2>&1 < /dev/null; "
                + "if command -v setsid > /dev/null 2>&1; then exec setsid \"$0\" \"$@\"; else exec \"$0\" \"$@\"; fi");
            info.ArgumentList.Add(bin);
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }
        }

        info.Environment["YARDSTICK_AZURITE_LOG"] = logPath;
        try
        {
            return Process.Start(info) ?? throw new AzuriteLaunchException($"Azurite could not be started from {bin}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new AzuriteLaunchException($"Azurite could not be started from {bin}: {ex.Message}", ex);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM on Unix, so Azurite saves its data files), then kills the tree after <paramref name="grace"/>.</summary>
    public static void Terminate(Process process, TimeSpan grace, Action? afterSignal = null)
    {
        try
        {
            if (process.HasExited)
            {
                afterSignal?.Invoke();
                return;
            }

            var signalled = !OperatingSystem.IsWindows() && Signals.Terminate(process.Id);
            afterSignal?.Invoke();
            afterSignal = null;
            if (signalled && process.WaitForExit(grace))
            {
                return;
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(grace);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
            afterSignal?.Invoke();
        }
    }

    public static void RotateLog(string logPath, long maxBytes)
    {
        var info = new FileInfo(logPath);
        if (info.Exists && info.Length > maxBytes)
        {
            File.Move(logPath, logPath + ".1", overwrite: true);
        }
    }

    public static string Tail(string path, int lines = 20)
    {
        try
        {
            return File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(lines)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static long OwnStartTicksUtc()
    {
        using var self = Process.GetCurrentProcess();
        return AzuriteState.StartTicksUtc(self);
    }
}
