using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Yardstick.Cli.Commands;

/// <summary>
/// The host's own machinery failed while a run was under way (storage gone, the Durable engine, disk full): the run
/// stays in the task hub, so the one line the CLI prints says how to finish it.
/// </summary>
internal sealed class RunHostException(string runId, Exception inner) : Exception($"run {runId}: {inner.Message}", inner)
{
    public string RunId { get; } = runId;
}

/// <summary>A file the user asked for could not be written; the message is the whole line, saying what to do.</summary>
internal sealed class CliOutputException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Turns a failure of the host's own machinery (storage, the Durable engine, Azurite, disk, IO) into the one line the
/// CLI prints before exiting 3: what failed and what to do. Never a stack trace (that is for <c>--verbose</c>).
/// </summary>
internal static partial class HostFailure
{
    /// <summary>One line, without the "yardstick: " prefix.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is CliOutputException output)
        {
            return output.Message;
        }

        var runId = (exception as RunHostException)?.RunId;
        if (runId is not null && Flatten(exception).OfType<global::Azure.RequestFailedException>().FirstOrDefault(IsLostResource) is { } lost)
        {
            // The task hub's own tables or queues are gone under a running run: storage lost its data (an emulator
            // SIGKILLed before it saved; measured with Azurite). Nothing is left to resume.
            return $"storage no longer has the task hub ({lost.Status} {lost.ErrorCode}: it lost its data, e.g. an emulator killed before it saved); run {runId} cannot be resumed, start it again.";
        }

        var what = What(exception);
        var first = Flatten(exception).Any(IsDiskFull) ? "free some space; " : "";
        var todo = runId is null
            ? "fix it and run the command again"
            : $"the run is in the task hub, 'yardstick resume {runId}' finishes it";
        return $"{what}; {first}{todo}.";
    }

    /// <summary>What failed, in one clause (no advice): <c>storage at 127.0.0.1:10002 refused the connection (…)</c>.</summary>
    internal static string What(Exception exception)
    {
        var all = Flatten(exception).ToList();
        if (all.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            var endpoint = Endpoint(all) ?? "its endpoint";
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"storage at {endpoint} refused the connection (is Azurite or the storage account up?)",
                SocketError.TimedOut => $"storage at {endpoint} did not answer in time",
                SocketError.HostNotFound or SocketError.NoData => $"the storage host {endpoint} could not be resolved",
                _ => $"storage at {endpoint} could not be reached ({socket.SocketErrorCode})",
            };
        }

        if (all.FirstOrDefault(IsDiskFull) is { } full)
        {
            return $"the disk is full ({FirstLine(full.Message)})";
        }

        if (all.OfType<global::Azure.RequestFailedException>().FirstOrDefault(e => e.Status >= 500) is { } broken)
        {
            // Azurite answers 500 without an error code when its own disk is full.
            return $"storage fails requests ({broken.Status} {broken.ErrorCode ?? "without an error code"}: a full disk under it, or an outage)";
        }

        if (all.OfType<global::Azure.RequestFailedException>().FirstOrDefault(e => e.Status > 0) is { } request)
        {
            return $"storage refused a request ({request.Status} {request.ErrorCode ?? "no error code"}: {FirstLine(request.Message)})";
        }

        if (all.OfType<HttpRequestException>().FirstOrDefault() is { } http)
        {
            return $"storage could not be reached ({FirstLine(http.Message)})";
        }

        if (all.OfType<TimeoutException>().FirstOrDefault() is { } timeout)
        {
            return $"{FirstLine(timeout.Message)} (an outage, or a full disk under an emulator)";
        }

        if (all.OfType<IOException>().FirstOrDefault() is { } io)
        {
            return $"a file operation failed ({FirstLine(io.Message)})";
        }

        var innermost = all[^1];
        return $"the local host failed ({innermost.GetType().Name}: {FirstLine(innermost.Message)})";
    }

    private static bool IsLostResource(global::Azure.RequestFailedException e) =>
        e.Status == 404 && e.ErrorCode is "TableNotFound" or "QueueNotFound" or "ContainerNotFound";

    /// <summary>ENOSPC on Linux and macOS (errno 28), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(Exception exception) =>
        exception is IOException io
        && (io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
            {
                yield return inner;
            }
        }
        else if (exception.InnerException is { } inner)
        {
            foreach (var nested in Flatten(inner))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The "(127.0.0.1:10002)" that socket errors from HttpClient carry in their message.</summary>
    private static string? Endpoint(IEnumerable<Exception> all) =>
        all.Select(e => EndpointPattern().Match(e.Message)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    private static string FirstLine(string message)
    {
        var line = message.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        return (end >= 0 ? line[..end] : line).Trim().ToString();
    }

    [GeneratedRegex(@"\(([A-Za-z0-9.\-\[\]:]+:\d{1,5})\)")]
    private static partial Regex EndpointPattern();
}
