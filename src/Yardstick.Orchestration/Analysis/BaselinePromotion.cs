using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Analysis;

/// <summary>The outcome of a promotion.</summary>
/// <param name="Baseline">The current baseline afterwards.</param>
/// <param name="Changed">False when the run already was the current baseline (nothing was written).</param>
/// <param name="Retried">True when the first attempt lost a race and the promotion was made on the re-read baseline.</param>
public sealed record PromotionResult(Baseline Baseline, bool Changed, bool Retried);

/// <summary>No run has this id (the API answers 404).</summary>
public sealed class UnknownRunException(string runId)
    : InputException("runId", $"no run has the id {runId}.")
{
    public string RunId { get; } = runId;
}

/// <summary>The promotion lost the optimistic-concurrency race twice (the API answers 409).</summary>
public sealed class BaselinePromotionConflictException(BaselineKey key, string runId, BaselineConflictException inner)
    : Exception($"baseline {key} kept changing while run {runId} was being promoted (two attempts lost to concurrent promotions); read it again with 'yardstick baseline show {key.Workload}' and promote again if still wanted.", inner)
{
    public BaselineKey Key { get; } = key;
}

/// <summary>
/// Promotes a run to the current baseline of its workload + settings key (+ environment), ETag-safe: the current baseline
/// is read and replaced only if it is still the one read. When another promotion lands in between, the baseline is read
/// again and the promotion made once more on top of it (so the history keeps both); a second lost race fails with
/// <see cref="BaselinePromotionConflictException"/>. Shared by <c>yardstick baseline promote</c> and
/// <c>POST /api/baselines/{workload}</c>.
/// </summary>
public sealed class BaselinePromotion(IBaselineStore baselines, IRunStore runs, IArtifactStore artifacts)
{
    /// <summary>Promotes <paramref name="runId"/>.</summary>
    /// <param name="runId">A completed or degraded run.</param>
    /// <param name="environment">Baseline environment; null takes the run's <c>compare.environment</c> (its analysis used that key).</param>
    /// <param name="reason">Why, stored with the promotion.</param>
    /// <param name="promotedBy">Who or what promotes (user, pipeline, <c>api</c>).</param>
    /// <param name="expectedWorkload">When set (the API's route), the run must belong to this workload.</param>
    /// <param name="cancellationToken">Cancels storage calls.</param>
    /// <exception cref="UnknownRunException">No such run.</exception>
    /// <exception cref="InputException">The run did not complete, or belongs to another workload.</exception>
    /// <exception cref="BaselinePromotionConflictException">Two attempts lost to concurrent promotions.</exception>
    public async Task<PromotionResult> PromoteAsync(string runId, string? environment, string? reason, string? promotedBy, string? expectedWorkload, CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(runId))
        {
            throw new InputException("runId", $"'{runId}' is not a run id (they look like 20261129-081502-3fa9c1).");
        }

        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new UnknownRunException(runId);
        if (expectedWorkload is not null && run.Workload != expectedWorkload)
        {
            throw new InputException("runId", $"run {runId} belongs to workload '{run.Workload}', not '{expectedWorkload}'.");
        }

        if (run.Status is not (RunStatus.Completed or RunStatus.Degraded))
        {
            throw new InputException("runId", $"run {runId} is {run.Status.ToString().ToLowerInvariant()}; only completed or degraded runs can be a baseline.");
        }

        var key = new BaselineKey(run.Workload, run.SettingsKey, environment ?? await EnvironmentOfAsync(run, cancellationToken));
        var current = await baselines.GetCurrentAsync(key, cancellationToken);
        if (current is not null && current.RunIds.SequenceEqual([runId]))
        {
            return new PromotionResult(current, Changed: false, Retried: false);
        }

        try
        {
            return new PromotionResult(await baselines.PromoteAsync(key, [runId], promotedBy, reason, current?.ETag, cancellationToken), Changed: true, Retried: false);
        }
        catch (BaselineConflictException)
        {
            // Someone promoted in between: decide again on what is current now, once.
            var reread = await baselines.GetCurrentAsync(key, cancellationToken);
            if (reread is not null && reread.RunIds.SequenceEqual([runId]))
            {
                return new PromotionResult(reread, Changed: false, Retried: true);
            }

            try
            {
                return new PromotionResult(await baselines.PromoteAsync(key, [runId], promotedBy, reason, reread?.ETag, cancellationToken), Changed: true, Retried: true);
            }
            catch (BaselineConflictException again)
            {
                throw new BaselinePromotionConflictException(key, runId, again);
            }
        }
    }

    private async Task<string?> EnvironmentOfAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(run.Workload, run.RunId, PlanReader.PlanBlobName, cancellationToken);
        return bytes is null ? null : YardstickJson.Deserialize<StoredPlan>(bytes).Workload.Compare.Environment;
    }
}
