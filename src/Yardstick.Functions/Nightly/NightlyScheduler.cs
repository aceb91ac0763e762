using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Workloads;
using Yardstick.Functions.Hosting;

namespace Yardstick.Functions.Nightly;

/// <summary>What one firing of the nightly timer did.</summary>
public sealed record NightlyResult
{
    /// <summary>Runs started now: workload → run id.</summary>
    public IReadOnlyDictionary<string, string> Started { get; init; } = new Dictionary<string, string>();

    /// <summary>Runs of this night that already existed (a retried or re-fired timer): workload → run id.</summary>
    public IReadOnlyDictionary<string, string> AlreadyStarted { get; init; } = new Dictionary<string, string>();

    /// <summary>Scheduled workloads refused at the front door (target not allowed, secret missing…): workload → reason.</summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = new Dictionary<string, string>();

    /// <summary>Files that do not load but may be scheduled nightly.</summary>
    public IReadOnlyList<WorkloadFile> Skipped { get; init; } = [];
}

/// <summary>
/// Starts a run of every deployed workload marked <c>schedule: nightly</c>, tagged <c>trigger=nightly</c>.
/// Idempotent per night: each run's id is derived from the workload's name and the UTC date, so a timer that fires
/// again the same night (host restart, past-due catch-up, a manual re-run) finds the run already there and starts
/// nothing twice.
/// </summary>
public sealed class NightlyScheduler(DeployedWorkloads workloads, RunStarter starter, TimeProvider time, ILogger<NightlyScheduler> logger)
{
    public const string Schedule = "nightly";
    public const string Trigger = "nightly";

    public async Task<NightlyResult> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var night = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var skipped = new List<WorkloadFile>();
        var due = workloads.Scheduled(Schedule, skipped);
        Log.NightlyFound(logger, due.Count, workloads.Directory);
        foreach (var file in skipped)
        {
            Log.NightlySkippedInvalid(logger, Path.GetFileName(file.Path), string.Join("; ", file.Errors.Select(e => e.ToString())));
        }

        var started = new Dictionary<string, string>(StringComparer.Ordinal);
        var already = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var failed = new List<string>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in due)
        {
            var runId = RunId(workload.Name, night, usedIds);
            try
            {
                if (await client.GetInstanceAsync(runId, cancellationToken) is { } existing)
                {
                    // Any state counts, finished ones too: scheduling an existing id could restart a finished run.
                    Log.NightlyAlreadyStarted(logger, runId, workload.Name, existing.RuntimeStatus.ToString());
                    already[workload.Name] = runId;
                    continue;
                }

                var run = starter.Prepare(workload, Trigger, runId);
                await starter.ScheduleAsync(client, run, cancellationToken);
                Log.RunStarted(logger, runId, workload.Name, Trigger);
                started[workload.Name] = runId;
            }
            catch (InputException e)
            {
                Log.NightlyRefused(logger, workload.Name, e.Describe());
                refused[workload.Name] = e.Describe();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One workload's failure must not keep the others from running; the invocation still fails below.
                Log.NightlyStartFailed(logger, e, workload.Name);
                failed.Add(workload.Name);
            }
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Nightly: {failed.Count} workload(s) could not be started: {string.Join(", ", failed)}; the others were.");
        }

        return new NightlyResult { Started = started, AlreadyStarted = already, Refused = refused, Skipped = skipped };
    }

    /// <summary>
    /// The run id of <paramref name="workload"/>'s run on <paramref name="night"/>: a valid run id
    /// (<see cref="RunIds.IsValid"/>) whose time part is the night at 00:00:00 UTC and whose six hex digits come from a
    /// hash of the workload's name and the date. The id names the night, not the minute the run started (its row
    /// records that). Two workloads whose hashes collide the same night (1 in 16.7 million per pair) are told apart by
    /// rehashing in folder order.
    /// </summary>
    public static string RunId(string workload, DateOnly night, ISet<string> usedIds)
    {
        var date = night.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Schedule}/{workload}/{date}/{attempt}"));
            var runId = $"{date}-000000-{Convert.ToHexStringLower(hash, 0, 3)}";
            if (usedIds.Add(runId))
            {
                return runId;
            }
        }
    }
}
