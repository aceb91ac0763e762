using System.Text.RegularExpressions;
using DurableTask.Core;
using Spectre.Console;
using Spectre.Console.Rendering;
using Yardstick.Cli.Hosting;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Console;

/// <summary>A finished run's outcome and how long its orchestration took (Created → Completed, as the task hub records them).</summary>
internal sealed record RunCompletion(RunOutcome Outcome, TimeSpan OrchestrationTime);

/// <summary>A run that ended without an outcome (failed orchestration, terminated).</summary>
internal sealed class RunFailedException(string runId, string reason) : Exception($"run {runId} failed: {reason}")
{
    public string RunId { get; } = runId;
}

/// <summary>
/// Waits for a run by polling its orchestration state (cheap on the local task hub) and shows live progress:
/// phase, shards done, req/s, errors and p99 from the shards running in this process.
/// </summary>
internal static partial class RunWatcher
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StorageRetryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long the watcher waits for storage that stopped answering before it gives up (exit 3).</summary>
    public static TimeSpan StoragePatience { get; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long one status read or heartbeat write may take. The storage SDK's own retries can keep a call to a sick
    /// Azurite (a full disk under it) pending for minutes; a call this slow counts as storage not working, so the
    /// patience above is kept (measured once: without this bound the CLI was still waiting after 90 s).
    /// </summary>
    public static TimeSpan ProbeTimeout { get; } = TimeSpan.FromSeconds(10);

    public static async Task<RunCompletion> WaitAsync(CliEnvironment env, string runId, IAnsiConsole console, bool showProgress, CancellationToken cancellationToken)
    {
        if (showProgress && console.Profile.Capabilities.Interactive)
        {
            RunCompletion? outcome = null;
            await console.Live(Render(runId, null, default, TimeSpan.Zero)).AutoClear(false).StartAsync(async live =>
            {
                outcome = await PollAsync(env, runId, console, (progress, totals, elapsed) =>
                {
                    live.UpdateTarget(Render(runId, progress, totals, elapsed));
                    live.Refresh();
                }, cancellationToken);
            });
            return outcome!;
        }

        TimeSpan? lastLine = null;
        string? lastPhase = null;
        return await PollAsync(env, runId, console, (progress, totals, elapsed) =>
        {
            if (!showProgress || (lastLine is { } last && elapsed - last < PlainLineInterval && progress?.Phase == lastPhase))
            {
                return;
            }

            lastLine = elapsed;
            lastPhase = progress?.Phase;
            console.WriteLine(Describe(progress, totals, elapsed));
        }, cancellationToken);
    }

    /// <summary>
    /// Why the orchestration failed, as a sentence: the engine stores an unhandled exception as "Namespace.TypeException:
    /// message" (in the failure details or the output), and the type name means nothing to the user.
    /// </summary>
    internal static string FailureReason(OrchestrationState state)
    {
        var message = state.FailureDetails?.ErrorMessage;
        if (string.IsNullOrWhiteSpace(message))
        {
            message = string.IsNullOrWhiteSpace(state.Output) ? "orchestration failed" : state.Output;
        }

        return ExceptionTypePrefix().Replace(message.Trim(), "", 1);
    }

    [GeneratedRegex(@"^(?:[A-Za-z_][\w`]*\.)*[A-Za-z_][\w`]*Exception:\s*")]
    private static partial Regex ExceptionTypePrefix();

    private static async Task<RunCompletion> PollAsync(CliEnvironment env, string runId, IAnsiConsole console, Action<RunProgress?, LiveTotals, TimeSpan> update, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        long? unhealthySince = null;
        long? lastHeartbeat = null;
        Exception? lastAnswer = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OrchestrationState? state;
            try
            {
                state = await env.Hub.GetStateAsync(runId).WaitAsync(ProbeTimeout, cancellationToken);

                // Reads alone can look fine while nothing can be written (a full disk under Azurite answers reads from
                // memory and fails every write with 500): then the Durable engine cannot move the run on, and without
                // this write the CLI would wait forever.
                if (lastHeartbeat is null || TimeProvider.System.GetElapsedTime(lastHeartbeat.Value) >= HeartbeatInterval)
                {
                    await env.WriteHeartbeatAsync(cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
                    lastHeartbeat = TimeProvider.System.GetTimestamp();
                }

                if (unhealthySince is not null)
                {
                    console.MarkupLine("[yellow]storage works again[/]; the run goes on.");
                    unhealthySince = null;
                    lastAnswer = null;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage that comes back (an Azurite killed and started again, a failover) is waited for; the Durable
                // worker in this process retries on its own. Longer than StoragePatience, the failure is the CLI's
                // one line (exit 3) and the run stays in the task hub for `yardstick resume`.
                // A probe that timed out says less than one storage answered with an error: the last answer is what
                // the one line reports, when there was one.
                if (e is not TimeoutException)
                {
                    lastAnswer = e;
                }

                if (unhealthySince is null)
                {
                    unhealthySince = TimeProvider.System.GetTimestamp();
                    console.MarkupLine($"[yellow]storage is not working[/]; waiting up to {StoragePatience.TotalSeconds:0} s for it to come back.");
                }
                else if (TimeProvider.System.GetElapsedTime(unhealthySince.Value) > StoragePatience)
                {
                    if (lastAnswer is not null && lastAnswer != e)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(lastAnswer).Throw();
                    }

                    if (e is TimeoutException)
                    {
                        throw new TimeoutException($"storage did not answer within {ProbeTimeout.TotalSeconds:0} s", e);
                    }

                    throw;
                }

                lastHeartbeat = null;
                await Task.Delay(StorageRetryInterval, cancellationToken);
                continue;
            }

            var elapsed = TimeProvider.System.GetElapsedTime(started);
            if (state is not null)
            {
                var progress = DurableJson.Deserialize<RunProgress>(state.Status);
                update(progress, env.Progress.Snapshot(runId), elapsed);
                switch (state.OrchestrationStatus)
                {
                    case OrchestrationStatus.Completed:
                        env.Progress.Forget(runId);
                        var result = DurableJson.Deserialize<RunOutcome>(state.Output)
                            ?? throw new RunFailedException(runId, "the orchestration completed without an outcome");
                        return new RunCompletion(result, state.CompletedTime - state.CreatedTime);
                    case OrchestrationStatus.Failed:
                        throw new RunFailedException(runId, FailureReason(state).TrimEnd('.', ' ') + "; a failed run cannot be resumed, start it again");
                    case OrchestrationStatus.Terminated:
                    case OrchestrationStatus.Canceled:
                        throw new RunFailedException(runId, "the orchestration was " + state.OrchestrationStatus.ToString().ToLowerInvariant());
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static Panel Render(string runId, RunProgress? progress, LiveTotals totals, TimeSpan elapsed)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup("[bold]run[/]"), new Text(runId));
        grid.AddRow(new Markup("[bold]phase[/]"), new Text(PhaseText(progress)));
        grid.AddRow(new Markup("[bold]elapsed[/]"), new Text($"{elapsed.TotalSeconds:0}s"));
        grid.AddRow(new Markup("[bold]load[/]"), new Text($"{totals.CurrentRps:0} req/s, {totals.Requests:N0} requests, {totals.Errors:N0} errors, {totals.Dropped:N0} dropped, p99 {totals.P99Ms:0.0} ms, {totals.InFlight} in flight"));
        return new Panel(grid).Header("yardstick").Border(BoxBorder.Rounded);
    }

    private static string Describe(RunProgress? progress, LiveTotals totals, TimeSpan elapsed) =>
        $"[{elapsed.TotalSeconds,5:0}s] {PhaseText(progress)} | {totals.CurrentRps:0} req/s | {totals.Requests:N0} requests | {totals.Errors:N0} errors | p99 {totals.P99Ms:0.0} ms";

    private static string PhaseText(RunProgress? progress) => progress is null
        ? "starting"
        : progress.Phase switch
        {
            "measured" => $"measured round {progress.Round + 1}/{progress.Rounds}{(progress.Variant.Length > 0 ? " [" + progress.Variant + "]" : "")}, shards {progress.ShardsDone}/{progress.ShardsTotal}",
            "apply" => $"applying sweep value [{progress.Variant}] for round {progress.Round + 1}/{progress.Rounds}",
            "recycle" => $"restarting the target process for round {progress.Round + 1}/{progress.Rounds} (compare.recycle)",
            var phase => phase,
        };
}
