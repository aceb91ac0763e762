using System.Diagnostics;
using System.Globalization;

namespace Yardstick.Core.Load.LocalTargets;

/// <summary>
/// Who a process id belongs to: the id, its start time and (on Linux) the boot it started in. A pid is reused after its
/// process exits; the pair (pid, start time) within one boot is not, so a stored identity never matches a stranger.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartTicks">Linux: clock ticks since boot (<c>/proc/[pid]/stat</c> field 22); elsewhere: UTC start time in .NET ticks.</param>
/// <param name="BootId">Linux: <c>/proc/sys/kernel/random/boot_id</c>; null elsewhere.</param>
public sealed record ProcessIdentity(int Pid, long StartTicks, string? BootId)
{
    /// <summary>Elsewhere than Linux the start time comes from a clock reading, so allow this much difference.</summary>
    private static readonly long PortableTolerance = TimeSpan.FromSeconds(1).Ticks;

    /// <summary>This process.</summary>
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0, null);

    /// <summary>The identity of the live process <paramref name="pid"/>, or null when there is none (or it cannot be read).</summary>
    public static ProcessIdentity? Of(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        if (OperatingSystem.IsLinux())
        {
            return ReadProcStat(pid) is { } ticks ? new ProcessIdentity(pid, ticks, BootIdOrNull()) : null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return new ProcessIdentity(pid, process.StartTime.ToUniversalTime().Ticks, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>True when the process this identity names is still running (not a later process that reuses its id).</summary>
    public bool IsAlive() => Of(Pid) is { } now && Matches(now);

    /// <summary>The command line of <paramref name="pid"/> (Linux only; null elsewhere or when it is gone).</summary>
    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var raw = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return raw.Split('\0', StringSplitOptions.None) is var parts && parts.Length > 0 && parts[^1].Length == 0 ? parts[..^1] : parts;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool Matches(ProcessIdentity now) =>
        now.Pid == Pid
        && string.Equals(now.BootId, BootId, StringComparison.Ordinal)
        && (OperatingSystem.IsLinux() ? now.StartTicks == StartTicks : Math.Abs(now.StartTicks - StartTicks) <= PortableTolerance);

    /// <summary>Field 22 of <c>/proc/[pid]/stat</c>; the command name (field 2) may hold spaces and parentheses, so split after the last ')'.</summary>
    private static long? ReadProcStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come fields 3 (state) onwards: starttime (22) is the 20th of them.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    private static string? BootIdOrNull()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
