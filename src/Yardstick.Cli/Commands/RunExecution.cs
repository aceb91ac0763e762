using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Summaries;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Cli.Commands;

/// <summary>What `run`, `gate` and `calibrate` ask for.</summary>
internal sealed record RunArguments
{
    public required FileInfo File { get; init; }

    public IReadOnlyList<string> Overrides { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public CliEnvironmentOptions Environment { get; init; } = new();

    public FileInfo? Json { get; init; }

    public bool ShowProgress { get; init; } = true;

    /// <summary><c>--baseline current|&lt;runId&gt;</c>; null follows the workload's <c>compare.baseline</c>.</summary>
    public string? Baseline { get; init; }

    /// <summary><c>--allow-dataset-change</c>: compare with a baseline measured on another dataset.</summary>
    public bool AllowDatasetChange { get; init; }

    /// <summary>Print what the comparison's design can detect before the run (<c>run</c>, <c>gate</c>; not the A/A runs of <c>calibrate</c>).</summary>
    public bool CheckDesign { get; init; }

    /// <summary><c>--strict</c>: a design that cannot decide a gated metric is invalid input (exit 2), before the load.</summary>
    public bool Strict { get; init; }

    /// <summary><c>--otlp-endpoint</c>: export the run's metrics and phase spans over OTLP/HTTP (else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, if set).</summary>
    public string? OtlpEndpoint { get; init; }
}

/// <summary>The result of a finished local run.</summary>
internal sealed record FinishedRun(RunOutcome Outcome, RunSummary? Summary, TimeSpan OrchestrationTime);

/// <summary>
/// Validates a workload, starts it as a Durable orchestration on the local host, shows progress, prints the
/// summary (with the verdict) and writes <c>--json</c>. Runs left unfinished by an interrupted CLI are finished first,
/// so two loads never share the target.
/// </summary>
internal sealed class RunExecution(CliContext context)
{
    /// <summary>Validates, opens the local environment, runs once and closes the environment.</summary>
    public async Task<FinishedRun> ExecuteAsync(RunArguments args, CancellationToken cancellationToken)
    {
        var workload = Validate(args);
        await using var env = await CliEnvironment.StartAsync(HostFor(args, workload), cancellationToken);
        return await RunAsync(env, args, workload, cancellationToken);
    }

    /// <summary>
    /// The local host for running <paramref name="workload"/>: unless <c>--max-activities</c> says otherwise, enough
    /// activity slots for every shard of a round at once. With fewer slots than shards a round runs in waves — 256
    /// shards at the default 64 took four, ~10 s of overhead on a quiet machine for a 2-second run, and the run was
    /// degraded because its shards did not start together. Other workers on the task hub still take shards this
    /// process has not taken (<c>yardstick worker</c> keeps the default).
    /// </summary>
    public static CliEnvironmentOptions HostFor(RunArguments args, Workload workload) =>
        args.Environment.MaxActivities is null && workload.Load.Shards > LocalHubSettings.DefaultMaxConcurrentActivities
            ? args.Environment with { MaxActivities = workload.Load.Shards }
            : args.Environment;

    /// <summary>
    /// Whether a wide round's groups of 16 shards run as one activity each in the process that takes it
    /// (<see cref="RunRequest.ShardGroupsInProcess"/>): yes unless <c>--max-activities</c> is given. Without it this
    /// process takes every shard of a round anyway (<see cref="HostFor"/>), and one activity per group saves the storage
    /// queue round trips per shard that bound a wide run on Azurite. <c>--max-activities</c> is how a run leaves shards
    /// to <c>yardstick worker</c> processes, so with it every shard stays its own activity, for any process to take.
    /// </summary>
    public static bool ShardGroupsInProcess(RunArguments args) => args.Environment.MaxActivities is null;

    /// <summary>Loads the workload with its overrides and checks it against the host, before anything starts.</summary>
    public static Workload Validate(RunArguments args)
    {
        if (!args.File.Exists)
        {
            throw new InputException("file", $"workload file '{args.File.FullName}' does not exist.");
        }

        if (args.Baseline is not null && args.Baseline != "current" && !RunIds.IsValid(args.Baseline))
        {
            throw new InputException("--baseline", $"'{args.Baseline}' is neither 'current' nor a run id (they look like 20261129-081502-3fa9c1).");
        }

        var workload = WorkloadLoader.LoadFile(args.File.FullName, args.Overrides);
        RunPreflight.Check(workload, CliEnvironment.CreateHostOptions(args.Environment));
        return workload;
    }

    /// <summary>One run in an open environment (<c>calibrate</c> runs several in one).</summary>
    public async Task<FinishedRun> RunAsync(CliEnvironment env, RunArguments args, Workload workload, CancellationToken cancellationToken)
    {
        // Disposed (and so flushed) when the run has been recorded below, before the command reports and exits.
        using var telemetry = CliTelemetry.Start(args.OtlpEndpoint);
        if (args.Baseline is { } baseline && RunIds.IsValid(baseline) && await env.Runs.GetAsync(baseline, cancellationToken) is null)
        {
            throw new InputException("--baseline", $"no run '{baseline}' on {env.StorageDescription}.");
        }

        // A data.blob dataset must exist (with the columns the requests name) before the run starts, as on the API.
        if (workload.Data is { Blob: not null })
        {
            await Orchestration.Activities.DatasetBlobs.CheckAsync(workload, env.Services.GetService(typeof(Core.Ports.IDatasetStore)) as Core.Ports.IDatasetStore, env.HostOptions, cancellationToken);
        }

        // A replay's trace blob likewise (read whole up to 256 MiB: format and caps).
        await Orchestration.Activities.TraceBlobs.CheckFrontDoorAsync(workload, env.Services.GetService(typeof(Core.Ports.IDatasetStore)) as Core.Ports.IDatasetStore, env.HostOptions, cancellationToken);

        await FinishInterruptedRunsAsync(env, cancellationToken);
        // A capacity search's steps are not a baseline comparison: the gate's design advice would not apply.
        if (args.CheckDesign && workload.Capacity is null)
        {
            var calibration = await new CalibrationStore(env.Artifacts).FindAsync(
                workload.Name, WorkloadFingerprint.SettingsHash(workload), workload.Compare.Environment, cancellationToken);
            DesignCheck.Report(context.Console, workload, calibration, args.Baseline, args.Strict);
        }

        var runId = RunIds.Create(TimeProvider.System.GetUtcNow(), Guid.NewGuid());
        context.Console.MarkupLine($"Run [bold]{runId}[/] of [bold]{Markup.Escape(workload.Name)}[/] on the local Durable host ({Markup.Escape(env.StorageDescription)}).");
        await env.Hub.ScheduleAsync(new RunRequest
        {
            RunId = runId,
            WorkloadText = await File.ReadAllTextAsync(args.File.FullName, cancellationToken),
            WorkloadSource = args.File.FullName,
            WorkloadDirectory = args.File.DirectoryName,
            Overrides = args.Overrides,
            Tags = args.Tags,
            Host = "local",
            // Shards run in this process (or on workers polling every 50 ms); the lead lets all of them be dispatched
            // before the common start (ShardStartTiming.ForLocal); a shard that is later still re-bases its timeline
            // (see LoadGenerator) and a spread beyond the tolerance marks the run degraded.
            ShardStartDelay = ShardStartTiming.ForLocal(workload.Load.Shards, ShardGroupsInProcess(args)),
            ShardGroupsInProcess = ShardGroupsInProcess(args),
            Baseline = args.Baseline,
            AllowDatasetChange = args.AllowDatasetChange,
        });

        var finished = await WatchAsync(env, runId, workload.Name, args.Json, args.ShowProgress, cancellationToken);
        if (finished.Summary is { } summary)
        {
            // Everything but the load itself: planning, dispatch and start alignment, persisting, analysis.
            var load = TimeSpan.FromSeconds(summary.DurationSeconds) + workload.Load.Warmup;
            var phases = string.Join(", ", finished.Outcome.PhaseSeconds.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:0.00} s")));
            context.Console.WriteLine(FormattableString.Invariant(
                $"orchestration: {finished.OrchestrationTime.TotalSeconds:0.00} s in all, {load.TotalSeconds:0.00} s of load, {(finished.OrchestrationTime - load).TotalSeconds:0.00} s overhead ({phases})"));
        }

        return finished;
    }

    /// <summary>Waits for a run (new or resumed), stops its target process, prints its summary and writes --json.</summary>
    public async Task<FinishedRun> WatchAsync(CliEnvironment env, string runId, string workload, FileInfo? json, bool showProgress, CancellationToken cancellationToken)
    {
        RunCompletion completion;
        try
        {
            completion = await RunWatcher.WaitAsync(env, runId, context.Console, showProgress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"yardstick: interrupted; run {runId} stays in the task hub: 'yardstick resume {runId}' (or any later run on this storage) finishes it.");
            throw;
        }
        catch (Exception e) when (e is not RunFailedException and not OperationCanceledException)
        {
            // Storage or the engine gave out under the run: the one line names the run to resume.
            throw new RunHostException(runId, e);
        }
        finally
        {
            await env.Targets.StopAsync(runId, CancellationToken.None);
        }

        var outcome = completion.Outcome;
        var summaryBytes = await env.Artifacts.GetAsync(outcome.Workload is "unknown" ? workload : outcome.Workload, runId, ReportFormats.SummaryBlobName, cancellationToken);
        var summary = summaryBytes is null ? null : YardstickJson.Deserialize<RunSummary>(summaryBytes);
        if (summary is not null)
        {
            Orchestration.Telemetry.RunTelemetry.Record(summary, outcome);
            SummaryView.Render(context.Console, summary);
            if (summary.Capacity is { } capacity)
            {
                CapacityView.Render(context.Console, capacity, summary.Cost?.Per1MRequestsUsd);
            }
            else if (summary.CapacityStudy is { } study)
            {
                CapacityView.RenderStudy(context.Console, study);
            }

            FaultsView.Render(context.Console, summary.Faults ?? []);

            if (summary.Verdict is { } verdict)
            {
                VerdictView.Render(context.Console, verdict);
            }
        }
        else
        {
            context.Console.MarkupLine($"[red]Run {runId} {outcome.Status.ToString().ToLowerInvariant()}[/]: {Markup.Escape(outcome.FailureReason ?? "no summary was stored")}");
        }

        AlertsView.Render(context.Console, outcome.Alerts);

        if (json is not null)
        {
            try
            {
                json.Directory?.Create();
                await File.WriteAllBytesAsync(json.FullName, summaryBytes ?? YardstickJson.ToUtf8(outcome, indented: true), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The run is stored; only the copy the user asked for is missing, and `show` writes it again.
                throw new CliOutputException(
                    $"could not write --json {json.FullName} ({e.Message.Trim()}){(HostFailure.IsDiskFull(e) ? "; free some space" : "")}; run {runId} is stored, 'yardstick show {runId} --json {json.FullName}' writes it again.",
                    e);
            }
        }

        return new FinishedRun(outcome, summary, completion.OrchestrationTime);
    }

    private async Task FinishInterruptedRunsAsync(CliEnvironment env, CancellationToken cancellationToken)
    {
        foreach (var state in await env.Hub.GetUnfinishedRunsAsync(cancellationToken))
        {
            var runId = state.OrchestrationInstance.InstanceId;
            context.Console.MarkupLine($"[yellow]Finishing interrupted run {runId} first[/] (its completed shards are not run again).");
            var record = await env.Runs.GetAsync(runId, cancellationToken);
            await WatchAsync(env, runId, record?.Workload ?? "unknown", json: null, showProgress: true, cancellationToken);
        }
    }

    /// <summary>Maps a finished run to the process exit code of <c>run</c> (inconclusive passes).</summary>
    public static int ExitCodeFor(FinishedRun run) => GateDecision.Decide(run.Outcome, failOnInconclusive: false).ExitCode;
}
