using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Schedules;
using Yardstick.Core.Workloads;
using Yardstick.Functions.Hosting;

namespace Yardstick.Functions.Schedules;

/// <summary>What one timer tick did.</summary>
public sealed record ScheduleTickResult
{
    /// <summary>Runs started now: workload → run id.</summary>
    public IReadOnlyDictionary<string, string> Started { get; init; } = new Dictionary<string, string>();

    /// <summary>Runs of a due time that already existed (a repeated or retried tick): workload → run id.</summary>
    public IReadOnlyDictionary<string, string> AlreadyStarted { get; init; } = new Dictionary<string, string>();

    /// <summary>Due workloads refused at the front door (target not allowed, secret missing…): workload → reason.</summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = new Dictionary<string, string>();

    /// <summary>Scheduled workloads with nothing due at this tick.</summary>
    public IReadOnlyList<string> NotDue { get; init; } = [];

    /// <summary>Files that do not load but may be scheduled.</summary>
    public IReadOnlyList<WorkloadFile> Skipped { get; init; } = [];
}

/// <summary>
/// The <c>ScheduledRuns</c> timer's work: at every tick, starts exactly the runs that are due. A workload is due when
/// an occurrence of its <c>schedule</c> (<see cref="WorkloadSchedule"/>) fell after the previous tick that handled it —
/// kept per workload in <c>{workload}/_schedule/state.json</c> — and at most <see cref="WorkloadSchedule.MaxCatchUp"/>
/// ago, so a missed tick (host down, restart) still starts the run of the occurrence it missed, the latest one only.
/// Idempotent per due time: the run id is derived from the workload's name and the due time, so a tick that runs
/// again (retry, restart before its state was saved, two ticks in one minute) finds the run and starts nothing twice.
/// Runs are tagged <c>trigger=nightly|weekly|hourly|schedule</c>.
/// </summary>
public sealed class ScheduledRuns(
    DeployedWorkloads workloads,
    RunStarter starter,
    IArtifactStore artifacts,
    ScheduleSettings settings,
    TimeProvider time,
    ILogger<ScheduledRuns> logger)
{
    public const string StateBlobName = "state.json";

    public async Task<ScheduleTickResult> TickAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var skipped = new List<WorkloadFile>();
        var scheduled = await workloads.ScheduledAsync(skipped, cancellationToken);
        Log.ScheduleTick(logger, scheduled.Count, workloads.Directory);
        foreach (var file in skipped)
        {
            Log.ScheduleSkippedInvalid(logger, Path.GetFileName(file.Path), string.Join("; ", file.Errors.Select(e => e.ToString())));
        }

        var started = new Dictionary<string, string>(StringComparer.Ordinal);
        var already = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var notDue = new List<string>();
        var failed = new List<string>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in scheduled)
        {
            try
            {
                var schedule = WorkloadSchedule.Parse(workload.Schedule!, settings.NightlyExpression);
                var state = await ReadStateAsync(workload.Name, cancellationToken);
                var due = schedule.DueAt(state?.LastChecked, now);
                if (due is not { } dueAt)
                {
                    notDue.Add(workload.Name);
                    await WriteStateAsync(workload.Name, (state ?? new ScheduleState()) with { LastChecked = now }, cancellationToken);
                    continue;
                }

                var runId = RunId(workload.Name, dueAt, usedIds);
                if (await client.GetInstanceAsync(runId, cancellationToken) is { } existing)
                {
                    // Any state counts, finished ones too: scheduling an existing id could restart a finished run.
                    Log.ScheduleAlreadyStarted(logger, runId, workload.Name, existing.RuntimeStatus.ToString());
                    already[workload.Name] = runId;
                }
                else
                {
                    try
                    {
                        var run = starter.Prepare(workload, schedule.Trigger, runId);
                        await starter.ScheduleAsync(client, run, cancellationToken);
                        Log.RunStarted(logger, runId, workload.Name, schedule.Trigger);
                        started[workload.Name] = runId;
                    }
                    catch (InputException e)
                    {
                        // Refused once per due time: the state below keeps the next tick from trying again.
                        Log.ScheduleRefused(logger, workload.Name, e.Describe());
                        refused[workload.Name] = e.Describe();
                    }
                }

                await WriteStateAsync(workload.Name, new ScheduleState { LastChecked = now, LastDue = dueAt, LastRunId = runId }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One workload's failure must not keep the others from running; its state is not advanced, so the
                // next tick tries the same due time again (same run id). The invocation still fails below.
                Log.ScheduleStartFailed(logger, e, workload.Name);
                failed.Add(workload.Name);
            }
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Schedule: {failed.Count} workload(s) could not be started: {string.Join(", ", failed)}; the others were.");
        }

        return new ScheduleTickResult { Started = started, AlreadyStarted = already, Refused = refused, NotDue = notDue, Skipped = skipped };
    }

    /// <summary>
    /// The run id of <paramref name="workload"/>'s run due at <paramref name="due"/>: a valid run id
    /// (<see cref="RunIds.IsValid"/>) whose time part is the due time (UTC, to the second) and whose six hex digits come
    /// from a hash of the workload's name and the due time. The id names the due time, not the moment the tick started
    /// it (the run's row records that). Two workloads whose hashes collide for the same due time (1 in 16.7 million per
    /// pair) are told apart by rehashing in folder order.
    /// </summary>
    public static string RunId(string workload, DateTimeOffset due, ISet<string> usedIds)
    {
        var at = due.UtcDateTime;
        var stamp = at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"schedule/{workload}/{at.ToString("O", CultureInfo.InvariantCulture)}/{attempt}"));
            var runId = $"{stamp}-{Convert.ToHexStringLower(hash, 0, 3)}";
            if (usedIds.Add(runId))
            {
                return runId;
            }
        }
    }

    private async Task<ScheduleState?> ReadStateAsync(string workload, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(workload, ArtifactFolders.Schedule, StateBlobName, cancellationToken);
        return bytes is null ? null : YardstickJson.Deserialize<ScheduleState>(bytes);
    }

    private Task WriteStateAsync(string workload, ScheduleState state, CancellationToken cancellationToken) =>
        artifacts.PutAsync(workload, ArtifactFolders.Schedule, StateBlobName, YardstickJson.ToUtf8(state, indented: true), "application/json", cancellationToken);
}

/// <summary><c>{workload}/_schedule/state.json</c>: the last tick that handled the workload and what it started.</summary>
public sealed record ScheduleState
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The tick time up to which the workload's occurrences have been handled.</summary>
    public DateTimeOffset? LastChecked { get; init; }

    public DateTimeOffset? LastDue { get; init; }

    public string? LastRunId { get; init; }
}

/// <summary>Deployment settings of the scheduler.</summary>
/// <param name="NightlyExpression">What <c>schedule: nightly</c> stands for (<c>YARDSTICK_NIGHTLY_SCHEDULE</c>).</param>
public sealed record ScheduleSettings(string NightlyExpression)
{
    public static ScheduleSettings Default { get; } = new(WorkloadSchedule.DefaultNightlyExpression);
}
