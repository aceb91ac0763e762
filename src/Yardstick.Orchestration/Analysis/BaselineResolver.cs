using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Analysis;

/// <summary>Which runs a candidate is compared with, and how they were chosen.</summary>
/// <param name="RunIds">Baseline runs, oldest first; empty when there is no baseline.</param>
/// <param name="Source"><c>current</c>, <c>run</c> (an explicit run id) or <c>rolling(N)</c>.</param>
/// <param name="Note">A sentence for the verdict explanation when something is worth saying (nothing found, fewer runs than asked).</param>
public sealed record BaselineSelection(IReadOnlyList<string> RunIds, string Source, string? Note = null);

/// <summary>
/// Resolves a candidate's baseline:
/// <list type="bullet">
/// <item>a run id: that run;</item>
/// <item><c>current</c>: the promoted baseline of the workload + settings key (+ environment);</item>
/// <item><c>rolling(N)</c>: the last N <b>accepted</b> runs of the same workload, settings key, settings hash and
/// environment, created before the candidate. A run is accepted when it completed (every shard succeeded) and its verdict
/// is not <c>regression</c> — or when it was explicitly promoted for this baseline key (any time, any status). Runs of
/// another load shape (settings hash) never form a rolling baseline, and the candidate never compares with itself.</item>
/// </list>
/// </summary>
public sealed class BaselineResolver(IBaselineStore baselines, IRunStore runs, IArtifactStore artifacts)
{
    /// <summary>How many of the workload's newest runs a rolling baseline is searched in.</summary>
    public const int RollingSearchDepth = 200;

    /// <summary>How many promotions count as "explicitly promoted" for a rolling baseline.</summary>
    public const int PromotionHistoryDepth = 100;

    /// <summary>Resolves the baseline of <paramref name="candidateRunId"/>.</summary>
    /// <param name="key">Workload, settings key and environment of the candidate.</param>
    /// <param name="candidateRunId">The run being analysed.</param>
    /// <param name="settingsHash">The candidate's settings hash (rolling baselines keep to it).</param>
    /// <param name="requested"><see cref="AnalyzeRequest.Baseline"/>: <c>current</c>, a run id, or null.</param>
    /// <param name="workloadMode">The workload's <c>compare.baseline</c>: <c>current</c> or <c>rolling(N)</c>.</param>
    /// <param name="cancellationToken">Cancels storage calls.</param>
    public async Task<BaselineSelection> ResolveAsync(BaselineKey key, string candidateRunId, string settingsHash, string? requested, string workloadMode, CancellationToken cancellationToken)
    {
        if (requested is not null && requested != BaselineModes.Current)
        {
            if (!RunIds.IsValid(requested))
            {
                throw new InputException("baseline", $"'{requested}' is neither 'current' nor a run id.");
            }

            return requested == candidateRunId
                ? new BaselineSelection([], "run", $"The requested baseline {requested} is the candidate itself, so there is nothing to compare with.")
                : new BaselineSelection([requested], "run");
        }

        var mode = requested ?? workloadMode;
        if (!BaselineModes.TryParse(mode.Replace(" ", "", StringComparison.Ordinal), out var rolling))
        {
            throw new InputException("compare.baseline", $"'{mode}' is neither 'current' nor 'rolling(N)'.");
        }

        if (rolling is { } n)
        {
            return await RollingAsync(key, candidateRunId, settingsHash, n, cancellationToken);
        }

        var current = await baselines.GetCurrentAsync(key, cancellationToken);
        if (current is null)
        {
            return new BaselineSelection([], BaselineModes.Current, $"No baseline has been promoted for {key} yet ('yardstick baseline promote <runId>').");
        }

        var ids = current.RunIds.Where(id => id != candidateRunId).ToList();
        return ids.Count == 0
            ? new BaselineSelection([], BaselineModes.Current, $"The current baseline of {key} is this run itself, so there is nothing to compare with.")
            : new BaselineSelection(ids, BaselineModes.Current);
    }

    /// <summary>Accepted for a rolling baseline (see the type remarks).</summary>
    public static bool IsAccepted(RunRecord run, IReadOnlySet<string> promoted) =>
        promoted.Contains(run.RunId) || (run.Status == RunStatus.Completed && run.Verdict != "regression");

    private async Task<BaselineSelection> RollingAsync(BaselineKey key, string candidateRunId, string settingsHash, int n, CancellationToken cancellationToken)
    {
        var promoted = (await baselines.HistoryAsync(key, PromotionHistoryDepth, cancellationToken))
            .SelectMany(b => b.RunIds)
            .ToHashSet(StringComparer.Ordinal);
        var recent = await runs.ListAsync(key.Workload, RollingSearchDepth, cancellationToken);
        var chosen = new List<string>(n);

        // Newest first: run ids start with their UTC creation time, so ordinal order is time order.
        foreach (var run in recent.Where(r => string.CompareOrdinal(r.RunId, candidateRunId) < 0).OrderByDescending(r => r.RunId, StringComparer.Ordinal))
        {
            if (chosen.Count == n)
            {
                break;
            }

            if (run.SettingsKey != key.SettingsKey
                || (settingsHash.Length > 0 && run.SettingsHash.Length > 0 && run.SettingsHash != settingsHash)
                || !IsAccepted(run, promoted)
                || !await SameEnvironmentAsync(run, key.Environment, cancellationToken))
            {
                continue;
            }

            chosen.Add(run.RunId);
        }

        chosen.Reverse();
        var mode = BaselineModes.Rolling(n);
        var note = chosen.Count switch
        {
            0 => $"No accepted run of {key} precedes this one, so the {mode} baseline is empty.",
            _ when chosen.Count < n => $"Only {chosen.Count} accepted run{(chosen.Count == 1 ? "" : "s")} of {key} precede{(chosen.Count == 1 ? "s" : "")} this one; the {mode} baseline uses {(chosen.Count == 1 ? "it" : "them")}.",
            _ => null,
        };
        return new BaselineSelection(chosen, mode, note);
    }

    /// <summary>The run's <c>compare.environment</c> (from its stored plan) equals <paramref name="environment"/>.</summary>
    private async Task<bool> SameEnvironmentAsync(RunRecord run, string? environment, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(run.Workload, run.RunId, PlanReader.PlanBlobName, cancellationToken);
        if (bytes is null)
        {
            return string.IsNullOrEmpty(environment);
        }

        var plan = YardstickJson.Deserialize<StoredPlan>(bytes);
        return string.Equals(plan.Workload.Compare.Environment ?? "", environment ?? "", StringComparison.Ordinal);
    }
}
