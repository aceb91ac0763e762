using Spectre.Console;
using Spectre.Console.Rendering;
using Yardstick.Cli.Commands;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Remote;

/// <summary>The client stopped waiting; the run goes on in the app.</summary>
internal sealed class RemoteWaitTimeoutException(string runId, TimeSpan waited)
    : Exception($"run {runId} did not finish within {Yardstick.Core.Load.DurationText.Format(waited)}")
{
    public string RunId { get; } = runId;
}

/// <summary>
/// Polls a run's status URL until it finishes, at the server's <c>Retry-After</c> pace, and shows progress: a live panel
/// on an interactive console, otherwise a line every few seconds (and at each phase change) for CI logs.
/// </summary>
internal sealed class RemoteRunWatcher(YardstickApiClient client, IAnsiConsole console, RemoteHttpSettings settings)
{
    /// <param name="runId">The run.</param>
    /// <param name="statusUri">Its status URL.</param>
    /// <param name="showProgress">False prints nothing while waiting.</param>
    /// <param name="deadline">Elapsed time (from <paramref name="started"/>) after which waiting stops; null waits for ever.</param>
    /// <param name="started">Timestamp (of <see cref="RemoteHttpSettings.Time"/>) the deadline counts from.</param>
    /// <param name="cancellationToken">Stops waiting (the run goes on in the app).</param>
    /// <exception cref="RemoteWaitTimeoutException">The deadline passed first.</exception>
    public async Task<RunStatusResponse> WaitAsync(string runId, Uri statusUri, bool showProgress, TimeSpan? deadline, long started, CancellationToken cancellationToken)
    {
        if (showProgress && console.Profile.Capabilities.Interactive)
        {
            RunStatusResponse? final = null;
            await console.Live(Render(runId, null, TimeSpan.Zero)).AutoClear(false).StartAsync(async live =>
            {
                final = await PollAsync(runId, statusUri, deadline, started, (status, elapsed) =>
                {
                    live.UpdateTarget(Render(runId, status, elapsed));
                    live.Refresh();
                }, cancellationToken);
            });
            return final!;
        }

        TimeSpan? lastLine = null;
        string? lastPhase = null;
        return await PollAsync(runId, statusUri, deadline, started, (status, elapsed) =>
        {
            var phase = PhaseText(status);
            if (!showProgress || (lastLine is { } last && elapsed - last < settings.PlainProgressInterval && phase == lastPhase))
            {
                return;
            }

            lastLine = elapsed;
            lastPhase = phase;
            console.WriteLine($"[{elapsed.TotalSeconds,5:0}s] run {runId}: {phase}");
        }, cancellationToken);
    }

    private async Task<RunStatusResponse> PollAsync(string runId, Uri statusUri, TimeSpan? deadline, long started, Action<RunStatusResponse, TimeSpan> update, CancellationToken cancellationToken)
    {
        var time = settings.Time;
        while (true)
        {
            var answer = await client.GetStatusAsync(statusUri, runId, cancellationToken);
            var elapsed = time.GetElapsedTime(started);
            update(answer.Status, elapsed);
            if (RemoteOutcome.IsFinished(answer.Status))
            {
                return answer.Status;
            }

            var wait = Clamp(answer.RetryAfter ?? settings.DefaultPollInterval);
            if (deadline is { } limit)
            {
                var left = limit - elapsed;
                if (left <= TimeSpan.Zero)
                {
                    throw new RemoteWaitTimeoutException(runId, limit);
                }

                // One last look at the deadline rather than giving up a poll early.
                wait = wait < left ? wait : left;
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private TimeSpan Clamp(TimeSpan wait) =>
        wait < settings.MinPollInterval ? settings.MinPollInterval : wait > settings.MaxPollInterval ? settings.MaxPollInterval : wait;

    private static Panel Render(string runId, RunStatusResponse? status, TimeSpan elapsed)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup("[bold]run[/]"), new Text(runId));
        grid.AddRow(new Markup("[bold]status[/]"), new Text(status?.RuntimeStatus ?? "starting"));
        grid.AddRow(new Markup("[bold]phase[/]"), new Text(status is null ? "starting" : PhaseText(status)));
        grid.AddRow(new Markup("[bold]elapsed[/]"), new Text($"{elapsed.TotalSeconds:0}s"));
        return new Panel(grid).Header("yardstick (remote)").Border(BoxBorder.Rounded);
    }

    /// <summary>Phase and shard counts, as the local progress display words them.</summary>
    internal static string PhaseText(RunStatusResponse status) => status.Progress switch
    {
        null => status.RuntimeStatus.ToLowerInvariant(),
        { Phase: "measured" } p => $"measured round {p.Round + 1}/{p.Rounds}{(p.Variant.Length > 0 ? " [" + p.Variant + "]" : "")}, shards {p.ShardsDone}/{p.ShardsTotal}",
        var p when p.ShardsTotal > 0 => $"{p.Phase}, shards {p.ShardsDone}/{p.ShardsTotal}",
        var p => p.Phase,
    };
}

/// <summary>Messages for a run the client stopped waiting for.</summary>
internal static class RemoteWaitMessages
{
    public static string TimedOut(RemoteWaitTimeoutException e, Uri statusUri, string option) =>
        $"gave up waiting: {e.Message}; it goes on in the app (status: {Yardstick.Core.Load.Safety.Redaction.RedactUrl(statusUri.AbsoluteUri)}). Raise {option} or check the run later.";

    public static string Interrupted(string runId, Uri statusUri) =>
        $"yardstick: interrupted; run {runId} goes on in the app (status: {Yardstick.Core.Load.Safety.Redaction.RedactUrl(statusUri.AbsoluteUri)}).";

    public static int TimeoutExitCode => ExitCodes.RunFailed;
}
