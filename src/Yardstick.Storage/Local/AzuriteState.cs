using System.Diagnostics;
using System.Text.Json;

namespace Yardstick.Storage.Local;

/// <summary>
/// What a launcher records in <c>{location}/azurite.state.json</c> so that a later launcher on the same location can
/// recognise the Azurite it started (process id + start time, so a recycled pid is never mistaken for it) and its owner.
/// </summary>
internal sealed record AzuriteState
{
    public const string FileName = "azurite.state.json";

    public int ProcessId { get; init; }

    public long ProcessStartTicksUtc { get; init; }

    public int BlobPort { get; init; }

    public int QueuePort { get; init; }

    public int TablePort { get; init; }

    public string Location { get; init; } = "";

    public int OwnerProcessId { get; init; }

    public long OwnerStartTicksUtc { get; init; }

    /// <summary>The same Azurite, now owned by another process.</summary>
    public AzuriteState With(int ownerProcessId, long ownerStartTicksUtc) =>
        this with { OwnerProcessId = ownerProcessId, OwnerStartTicksUtc = ownerStartTicksUtc };

    public static AzuriteState? Read(string location)
    {
        try
        {
            var path = Path.Combine(location, FileName);
            return File.Exists(path) ? JsonSerializer.Deserialize<AzuriteState>(File.ReadAllText(path)) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string location)
    {
        var path = Path.Combine(location, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this));
        File.Move(temp, path, overwrite: true);
    }

    public static void Delete(string location)
    {
        try
        {
            File.Delete(Path.Combine(location, FileName));
        }
        catch (IOException)
        {
            // Best effort: a stale state file is detected by process identity on the next start.
        }
    }

    /// <summary>The recorded process when it is still the same process (same id and start time), else null.</summary>
    public static Process? FindLive(int processId, long startTicksUtc)
    {
        if (processId <= 0)
        {
            return null;
        }

        try
        {
            var process = Process.GetProcessById(processId);
            if (!process.HasExited && Math.Abs(StartTicksUtc(process) - startTicksUtc) < TimeSpan.TicksPerSecond)
            {
                return process;
            }

            process.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static long StartTicksUtc(Process process) => process.StartTime.ToUniversalTime().Ticks;
}
