using Microsoft.Extensions.Logging;

namespace Yardstick.Storage;

/// <summary>Log messages of the storage layer (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Installing Azurite with npm ci in {Directory} (first use; output in {LogPath})")]
    public static partial void InstallingAzurite(ILogger logger, string directory, string logPath);

    [LoggerMessage(2, LogLevel.Information, "Azurite installed in {Seconds:F1} s")]
    public static partial void AzuriteInstalled(ILogger logger, double seconds);

    [LoggerMessage(3, LogLevel.Information, "Starting Azurite on 127.0.0.1 ports {BlobPort}/{QueuePort}/{TablePort}, data in {Location}")]
    public static partial void StartingAzurite(ILogger logger, int blobPort, int queuePort, int tablePort, string location);

    [LoggerMessage(4, LogLevel.Information, "Azurite (pid {ProcessId}) answers on {BlobPort}/{QueuePort}/{TablePort} after {Seconds:F1} s")]
    public static partial void AzuriteReady(ILogger logger, int processId, int blobPort, int queuePort, int tablePort, double seconds);

    [LoggerMessage(5, LogLevel.Information, "Reusing the Azurite (pid {ProcessId}) already running on {BlobPort}/{QueuePort}/{TablePort} for {Location}; owned: {Owned}")]
    public static partial void ReusingAzurite(ILogger logger, int processId, int blobPort, int queuePort, int tablePort, string location, bool owned);

    [LoggerMessage(6, LogLevel.Warning, "Azurite could not bind its ports (attempt {Attempt}); retrying on other free ports")]
    public static partial void PortsTaken(ILogger logger, int attempt);

    [LoggerMessage(7, LogLevel.Information, "Stopping Azurite (pid {ProcessId})")]
    public static partial void StoppingAzurite(ILogger logger, int processId);

    [LoggerMessage(8, LogLevel.Warning, "Stopping an unresponsive Azurite (pid {ProcessId}) left on {Location}")]
    public static partial void StoppingStaleAzurite(ILogger logger, int processId, string location);
}
