using Microsoft.Extensions.Logging;

namespace Yardstick.Cli;

/// <summary>Log messages of the CLI host (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "{Line}")]
    public static partial void StoppedOrphanTarget(ILogger logger, string line);
}
