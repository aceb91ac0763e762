using Yardstick.Cli.Commands;
using Yardstick.Core;

namespace Yardstick.Cli.Remote;

/// <summary>The run a remote command has started so far: what an error or Ctrl+C message points the user to.</summary>
internal sealed class RemoteRunHandle
{
    public string? RunId { get; set; }

    public Uri? StatusUri { get; set; }
}

/// <summary>
/// How every remote command (<c>gate --endpoint</c>, <c>submit</c>) ends on an expected failure: one line on the error
/// writer and the exit code for it — 2 for bad input or a refused request, the API's code for its errors, 3 when waiting
/// timed out (the run goes on in the app). Only Ctrl+C propagates, after saying where the run can be followed.
/// </summary>
internal static class RemoteCommandErrors
{
    public static async Task<int> RunAsync(CliContext context, Func<RemoteRunHandle, Task<int>> body, CancellationToken cancellationToken)
    {
        var handle = new RemoteRunHandle();
        try
        {
            return await body(handle);
        }
        catch (InputException e)
        {
            await context.Error.WriteLineAsync("yardstick: " + e.Describe());
            return ExitCodes.InvalidInput;
        }
        catch (RemoteApiException e)
        {
            await context.Error.WriteLineAsync("yardstick: " + e.Message);
            return e.ExitCode;
        }
        catch (RemoteWaitTimeoutException e)
        {
            await context.Error.WriteLineAsync("yardstick: " + RemoteWaitMessages.TimedOut(e, handle.StatusUri!, "--timeout"));
            return RemoteWaitMessages.TimeoutExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && handle.RunId is not null && handle.StatusUri is not null)
        {
            await context.Error.WriteLineAsync(RemoteWaitMessages.Interrupted(handle.RunId, handle.StatusUri));
            throw;
        }
    }
}
