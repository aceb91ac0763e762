using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Yardstick.Core.Load.LocalTargets;

/// <summary>One PID file: a target process and the host process that started it.</summary>
/// <param name="Owner">The host process (the CLI) that started the target.</param>
/// <param name="Target">The target process.</param>
/// <param name="Arguments">The target's arguments as started; on Linux its command line must still end with them.</param>
/// <param name="Command">The command as the workload named it (for messages).</param>
public sealed record TargetProcessRecord(ProcessIdentity Owner, ProcessIdentity Target, IReadOnlyList<string> Arguments, string Command);

/// <summary>
/// A PID file per local target process in the local host's state folder (<c>.yardstick/targets/pids</c>), so that a
/// CLI killed before it could stop its targets (SIGKILL, OOM, power) does not leave them running: the next
/// <c>run</c>, <c>resume</c> or <c>worker</c> calls <see cref="ReapOrphans"/>, which stops the targets whose host is
/// gone. A process is stopped only when it is provably the one recorded — same pid, same start time (same boot on
/// Linux) and, on Linux, a command line still ending with the recorded arguments — never a process that merely
/// reuses the pid, and never the target of a host that is still running.
/// </summary>
public sealed class TargetProcessRecords
{
    private const string Extension = ".json";
    private readonly string _directory;
    private readonly ProcessIdentity _owner;

    /// <summary>Records in <paramref name="directory"/> on behalf of <paramref name="owner"/> (default: this process).</summary>
    public TargetProcessRecords(string directory, ProcessIdentity? owner = null)
    {
        _directory = directory;
        _owner = owner ?? ProcessIdentity.Current;
    }

    /// <summary>Writes the PID file of a just-started <paramref name="process"/>; a process already gone is not recorded.</summary>
    public void Record(Process process, IEnumerable<string> arguments, string command)
    {
        if (ProcessIdentity.Of(process.Id) is not { } target)
        {
            return;
        }

        Directory.CreateDirectory(_directory);
        var record = new TargetProcessRecord(_owner, target, arguments.ToList(), command);
        var path = PathOf(target.Pid);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(record, YardstickJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the PID file of a target this host stopped (or saw exit).</summary>
    public void Forget(int pid)
    {
        try
        {
            File.Delete(PathOf(pid));
        }
        catch (IOException)
        {
            // Gone already, or the folder is not writable: the next reap checks identity anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Stops every recorded target whose host is gone and that is still the recorded process; removes the PID files of
    /// hosts that are gone (and unreadable ones). Returns a line per stopped process, for the user.
    /// </summary>
    public IReadOnlyList<string> ReapOrphans()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var stopped = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var record = TryRead(file);
            if (record is not null && record.Owner.IsAlive())
            {
                continue;
            }

            if (record is not null && IsStillTheRecordedProcess(record) && Stop(record.Target.Pid))
            {
                stopped.Add($"stopped target process {record.Target.Pid.ToString(CultureInfo.InvariantCulture)} ('{record.Command}') left running by the yardstick process {record.Owner.Pid.ToString(CultureInfo.InvariantCulture)}, which is gone");
            }

            TryDelete(file);
        }

        return stopped;
    }

    private static bool IsStillTheRecordedProcess(TargetProcessRecord record)
    {
        if (!record.Target.IsAlive())
        {
            return false;
        }

        if (ProcessIdentity.CommandLine(record.Target.Pid) is not { } commandLine)
        {
            // Not Linux: pid + start time is the identity.
            return !OperatingSystem.IsLinux();
        }

        var arguments = record.Arguments;
        return commandLine.Count >= arguments.Count
            && commandLine.Skip(commandLine.Count - arguments.Count).SequenceEqual(arguments, StringComparer.Ordinal);
    }

    private static bool Stop(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static TargetProcessRecord? TryRead(string file)
    {
        try
        {
            var record = JsonSerializer.Deserialize<TargetProcessRecord>(File.ReadAllText(file), YardstickJson.Options);
            return record is { Owner: not null, Target: not null, Arguments: not null, Command: not null } ? record : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string PathOf(int pid) =>
        Path.Combine(_directory, $"{_owner.Pid.ToString(CultureInfo.InvariantCulture)}-{pid.ToString(CultureInfo.InvariantCulture)}{Extension}");
}
