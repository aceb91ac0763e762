using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Capacity;
using Yardstick.Core.Faults;
using Yardstick.Core.Environments;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;
using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Slos;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Merges the measured shards (warm-up excluded), decides the run status from <c>load.minShardSuccess</c>, and
/// writes <c>summary.json</c>, the merged timeline, histograms and instances, and the run's row. Idempotent:
/// everything is an overwrite or an upsert keyed by the run id.
/// </summary>
public sealed class PersistRunActivity(
    IArtifactStore artifacts,
    IRunStore runs,
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<PersistRunActivity> logger,
    ITargetControl? targetControl = null,
    ILocalTargets? localTargets = null) : TaskActivity<PersistRequest, RunOutcome>
{
    /// <summary>The target's own side of the timeline (<see cref="ServerMetricSet"/>).</summary>
    public const string ServerMetricsBlobName = "server-metrics.json";

    public const string SummaryBlobName = "summary.json";

    /// <summary>A capacity search's answer and per-step table.</summary>
    public const string CapacityBlobName = "capacity.json";
    public const string TimelineBlobName = "timeline.json";
    public const string InstancesBlobName = "instances.json";

    /// <summary>A mix's per-second windows per named request: <c>{ "checkout": [windows…], … }</c>.</summary>
    public const string RequestTimelinesBlobName = "request-timelines.json";

    /// <summary>The merged latency histogram of one named request.</summary>
    public static string RequestHistogramBlobName(string request) => $"histograms/requests/{request}.hdr";

    public override async Task<RunOutcome> RunAsync(TaskActivityContext context, PersistRequest input)
    {
        var cancellationToken = options.Shutdown;
        var plan = input.Plan;
        var stored = await plans.GetAsync(plan.Workload, plan.RunId, cancellationToken);

        var measured = input.AllShards().Where(s => s.Phase == RunPhase.Measured).ToList();
        var succeeded = measured.Where(s => s.Succeeded).ToList();
        // Shard results are independent blobs: read them in parallel (a 16-shard run reads 16).
        var results = await Task.WhenAll(succeeded.Select(async shard =>
        {
            var bytes = await artifacts.GetAsync(plan.Workload, plan.RunId, shard.ResultRef, cancellationToken)
                ?? throw new InvalidOperationException($"Run {plan.RunId}: shard result {shard.ResultRef} is missing.");
            return YardstickJson.Deserialize<ShardResult>(bytes);
        }));

        var widest = ShardStartAlignment.Widest(results);
        var misaligned = ShardStartAlignment.Check(widest, input.ShardStartTolerance ?? ShardStartTiming.DefaultTolerance);
        var (status, failure) = Decide(plan, measured.Count, succeeded.Count, measured.FirstOrDefault(s => !s.Succeeded)?.FailureReason, input.FailureReason, misaligned);
        var (targetAtStart, targetChanges) = await CaptureTargetAgainAsync(stored, cancellationToken);
        (status, failure) = DegradeForTargetChanges(status, failure, targetChanges);
        // A paired gate's headline figures are the candidate's; the reference's rounds stay in the summary's rounds.
        var against = stored.Workload.Compare.Against;
        var headline = against is null ? results : results.Where(r => r.Variant.Length == 0).ToArray();
        var merged = headline.Length > 0 ? ShardMerger.Merge(headline) : null;
        var capacity = PriceCapacitySteps(input.Capacity, stored, results);
        var study = input.Capacities is { } searches
            ? CapacityStudy.From(searches.Select(v => v with { Result = PriceCapacitySteps(v.Result, stored, results, v.Variant) }).ToList())
            : null;
        var storage = new StorageLocations
        {
            Artifacts = artifacts.DescribeLocation(plan.Workload, plan.RunId),
            Table = "Runs",
            PartitionKey = plan.Workload,
            RowKey = RunIds.DescendingRowKey(plan.RunId),
        };
        var summary = RunSummaryBuilder.Build(
            new RunSummaryContext
            {
                RunId = plan.RunId,
                Workload = plan.Workload,
                Status = status.ToString().ToLowerInvariant(),
                StartedAt = input.StartedAt,
                CompletedAt = input.CompletedAt,
                Tags = stored.Tags,
                Model = plan.Model.ToString().ToLowerInvariant(),
                ShardsSucceeded = succeeded.Count,
                ShardsTotal = measured.Count,
                Storage = storage,
                FailureReason = failure,
                Requests = stored.MeasuredShards.Count > 0 ? stored.MeasuredShards[0].Requests : [],
            },
            merged,
            ShardMerger.Rounds(results)) with
        {
            ColdStart = input.ColdStart,
            Cost = input.Cost,
            Capacity = capacity,
            CapacityStudy = study,
            Faults = input.Faults.Count > 0 && merged is not null ? RecoveryAnalysis.Analyze(merged.Timeline, merged.StartedAt, input.Faults) : null,
            Slo = SloAttainment.Evaluate(stored.Workload.Slo, merged?.Requests ?? 0, merged?.Successes ?? 0, merged?.Latency),
            SweepParameter = stored.Workload.Sweep?.Label,
            Against = against is null ? null : Core.Verdicts.PairedSchedule.OriginOf(against),
            Dataset = stored.Dataset is { } dataset
                ? dataset with { Exhausted = results.Where(r => r.DataExhausted is not null).Select(r => $"shard {r.ShardIndex}{(r.Round > 0 ? $" (round {r.Round})" : "")}: {r.DataExhausted}").ToList() }
                : null,
            Trace = stored.Trace,
            MaxShardStartSpreadMs = widest?.Spread.TotalMilliseconds ?? 0,
            Environment = new RunEnvironment
            {
                Generators = RunEnvironments.Merge(succeeded.Zip(results, (shard, result) => (shard.Key, result.Environment))),
                Target = targetAtStart,
                TargetChanges = targetChanges,
            },
        };
        if (stored.Workload.Sweep is { } sweep)
        {
            var variants = SweepVariantResults.Build(stored, results, options, logger);
            var choice = Core.Cost.SweepRecommendation.Choose(variants, stored.Workload.Compare.Margin, sweep.Recommend);
            summary = summary with
            {
                Variants = variants,
                SweepGrid = sweep.Grid.Select(d => d.Parameter).ToList(),
                Recommendation = new RecommendationSummary { Strategy = choice.Strategy.ToString().ToLowerInvariant(), Variant = choice.Recommended?.Variant, Rule = choice.Rule },
            };
        }

        var writes = new List<Task> { Put(plan, SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true), cancellationToken) };
        if (capacity is not null)
        {
            writes.Add(Put(plan, CapacityBlobName, YardstickJson.ToUtf8(capacity, indented: true), cancellationToken));
        }
        else if (study is not null)
        {
            writes.Add(Put(plan, CapacityBlobName, YardstickJson.ToUtf8(study, indented: true), cancellationToken));
        }

        if (ServerMetricsOf(stored, merged) is { } serverMetrics)
        {
            writes.Add(Put(plan, ServerMetricsBlobName, YardstickJson.ToUtf8(serverMetrics, indented: true), cancellationToken));
        }

        if (merged is not null)
        {
            writes.Add(Put(plan, TimelineBlobName, YardstickJson.ToUtf8(merged.Timeline), cancellationToken));
            writes.Add(Put(plan, InstancesBlobName, YardstickJson.ToUtf8(merged.Instances), cancellationToken));
            writes.Add(Put(plan, "histograms/latency.hdr", HistogramBytes(merged.Latency), cancellationToken, "text/plain"));
            writes.Add(Put(plan, "histograms/service-time.hdr", HistogramBytes(merged.ServiceTime), cancellationToken, "text/plain"));
            writes.Add(Put(plan, "histograms/scheduling-lag.hdr", HistogramBytes(merged.SchedulingLag), cancellationToken, "text/plain"));
            if (merged.PerRequest.Count > 0)
            {
                var timelines = merged.PerRequest.ToDictionary(r => r.Name, r => r.Timeline, StringComparer.Ordinal);
                writes.Add(Put(plan, RequestTimelinesBlobName, YardstickJson.ToUtf8(timelines), cancellationToken));
                writes.AddRange(merged.PerRequest.Select(r => Put(plan, RequestHistogramBlobName(r.Name), HistogramBytes(r.Latency), cancellationToken, "text/plain")));
            }
        }

        await Task.WhenAll(writes);

        await runs.UpsertAsync(
            new RunRecord
            {
                RunId = plan.RunId,
                Workload = plan.Workload,
                Status = status,
                CreatedAt = plan.CreatedAt,
                StartedAt = input.StartedAt,
                CompletedAt = input.CompletedAt,
                Host = options.Host,
                PhaseSeconds = input.PhaseSeconds,
                Requests = summary.Requests,
                Errors = summary.Errors,
                ErrorRate = summary.ErrorRate,
                ThroughputRps = summary.ThroughputRps,
                P50Ms = merged is null ? null : summary.LatencyMs.P50,
                P90Ms = merged is null ? null : summary.LatencyMs.P90,
                P95Ms = merged is null ? null : summary.LatencyMs.P95,
                P99Ms = merged is null ? null : summary.LatencyMs.P99,
                MaxMs = merged is null ? null : summary.LatencyMs.Max,
                DroppedArrivals = summary.DroppedArrivals,
                ShardsSucceeded = succeeded.Count,
                ShardsTotal = measured.Count,
                Tags = stored.Tags,
                SettingsHash = stored.SettingsHash,
                BlobPrefix = $"{plan.Workload}/{plan.RunId}/",
                FailureReason = failure,
                ColdStartP50Ms = input.ColdStart?.ColdP50Ms,
                CostPer1MUsd = input.Cost?.Per1MRequestsUsd,
                WorkloadVersion = stored.WorkloadVersion,
                WorkloadHash = stored.WorkloadHash,
                Environment = summary.Environment?.Digest(),
                EnvironmentHash = summary.Environment?.Fingerprint() ?? "",
            },
            cancellationToken);

        Log.Persisted(logger, plan.RunId, status.ToString(), succeeded.Count, measured.Count);
        return new RunOutcome
        {
            RunId = plan.RunId,
            Workload = plan.Workload,
            Status = status,
            Requests = summary.Requests,
            Errors = summary.Errors,
            ThroughputRps = summary.ThroughputRps,
            P50Ms = merged is null ? null : summary.LatencyMs.P50,
            P95Ms = merged is null ? null : summary.LatencyMs.P95,
            P99Ms = merged is null ? null : summary.LatencyMs.P99,
            ShardsSucceeded = succeeded.Count,
            ShardsTotal = measured.Count,
            Artifacts = storage.Artifacts,
            PhaseSeconds = input.PhaseSeconds,
            FailureReason = failure,
        };
    }

    /// <summary>
    /// A capacity search's steps priced one by one: the workload's cost section over each step's measured shards
    /// (round = step, of the <paramref name="variant"/> the search ran under), so the table shows what a million requests cost at each rate and at the capacity. Unchanged
    /// without a cost section or a pricing catalog.
    /// </summary>
    private CapacityResult? PriceCapacitySteps(CapacityResult? capacity, StoredPlan stored, IReadOnlyList<ShardResult> results, string variant = "")
    {
        if (capacity is null || stored.Workload.Cost is not { } spec || ShardCosts.For(stored, options, logger) is not { } price)
        {
            return capacity;
        }

        return capacity.WithStepCosts(step => results.Where(r => r.Round == step.Index && r.Variant == variant).ToList() is { Count: > 0 } shards
            ? price(spec, shards)?.Per1MRequestsUsd
            : null);
    }

    /// <summary>
    /// All shards, started together → Completed; all shards but a round's shards began further apart than the tolerance
    /// (<paramref name="misaligned"/>), or at least <c>minShardSuccess</c> of them → Degraded; fewer → Failed.
    /// </summary>
    public static (RunStatus Status, string? Failure) Decide(RunPlan plan, int total, int succeeded, string? firstShardFailure, string? runFailure, string? misaligned = null)
    {
        if (runFailure is not null)
        {
            return (RunStatus.Failed, runFailure);
        }

        if (total == 0)
        {
            return (RunStatus.Failed, "no measured shard ran");
        }

        if (succeeded == total)
        {
            return misaligned is null ? (RunStatus.Completed, null) : (RunStatus.Degraded, misaligned);
        }

        var fraction = (double)succeeded / total;
        var detail = $"{succeeded} of {total} shards succeeded (minShardSuccess {plan.MinShardSuccess:0.##})" + (firstShardFailure is null ? "" : $"; first failure: {firstShardFailure}")
            + (misaligned is null ? "" : $"; {misaligned}");
        return fraction >= plan.MinShardSuccess ? (RunStatus.Degraded, detail) : (RunStatus.Failed, detail);
    }

    /// <summary>
    /// The target captured again now, at the end of the run, against the capture at planning: for a process its command
    /// and executable hash, for an Azure target its scale settings and app settings fingerprint read from ARM again (when
    /// this host has Azure access). Fields the run's sweep varies on purpose are not compared. Best effort, like the first capture: a
    /// failed read is no change.
    /// </summary>
    private async Task<(TargetEnvironment Start, IReadOnlyList<string> Changes)> CaptureTargetAgainAsync(StoredPlan stored, CancellationToken cancellationToken)
    {
        var start = stored.TargetAtStart ?? RunEnvironments.Target(stored.Workload, stored.WorkloadDirectory, stored.TargetScale);
        if (stored.TargetAtStart is null)
        {
            return (start, []); // a plan from before the first capture was recorded: nothing to compare with
        }

        var scale = targetControl is not null ? await PlanRunActivity.ReadTargetScaleAsync(stored.Workload, targetControl, cancellationToken) : null;
        var appSettings = targetControl is not null ? await PlanRunActivity.ReadTargetAppSettingsAsync(stored.Workload, targetControl, cancellationToken) : null;
        var end = RunEnvironments.Target(stored.Workload, stored.WorkloadDirectory, scale, appSettings);
        var varied = (stored.Workload.Sweep?.Dimensions ?? [])
            .Select(d => RunEnvironments.FieldOfSweepParameter(d.Parameter))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return (start, RunEnvironments.Changes(start, end, varied));
    }

    /// <summary>A completed run whose target changed under it is degraded, with what changed; a degraded or failed run says it too.</summary>
    public static (RunStatus Status, string? Failure) DegradeForTargetChanges(RunStatus status, string? failure, IReadOnlyList<string> changes)
    {
        if (changes.Count == 0)
        {
            return (status, failure);
        }

        var changed = "the target changed during the run: " + string.Join(", ", changes);
        return status switch
        {
            RunStatus.Completed => (RunStatus.Degraded, changed),
            _ => (status, failure is null ? changed : $"{failure}; {changed}"),
        };
    }

    /// <summary>
    /// A local process target's samples over the measured seconds (first to last timeline window, rounds and the
    /// pauses between them included); null for other targets, without a local targets service, or without windows.
    /// </summary>
    private ServerMetricSet? ServerMetricsOf(StoredPlan stored, MergedMeasurements? merged)
    {
        if (stored.Workload.Target.Process is null || localTargets is null || merged is not { Timeline.Count: > 0 })
        {
            return null;
        }

        var from = DateTimeOffset.FromUnixTimeSeconds(merged.Timeline[0].UnixSecond);
        var to = DateTimeOffset.FromUnixTimeSeconds(merged.Timeline[^1].UnixSecond + 1);
        return ServerMetricSets.FromProcess(localTargets.GetSamples(stored.Plan.RunId), from, to);
    }

    private static byte[] HistogramBytes(HdrHistogram.HistogramBase histogram) =>
        System.Text.Encoding.ASCII.GetBytes(HistogramCodec.Encode(histogram).Base64);

    private Task Put(RunPlan plan, string name, byte[] content, CancellationToken cancellationToken, string contentType = "application/json") =>
        artifacts.PutAsync(plan.Workload, plan.RunId, name, content, contentType, cancellationToken);
}
