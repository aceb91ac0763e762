using Microsoft.Extensions.Logging;

namespace Yardstick.Orchestration;

/// <summary>Log messages of the orchestration layer; every line carries the run id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Run {RunId}: planned workload {Workload}, {Shards} shards x {Repeat} rounds x {Variants} variants")]
    public static partial void Planned(ILogger logger, string runId, string workload, int shards, int repeat, int variants);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Run {RunId}: planning failed: {Reason}")]
    public static partial void PlanFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Run {RunId}: failed after planning: {Reason}")]
    public static partial void RunFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Run {RunId}: could not record the failure in the Runs row: {Reason}")]
    public static partial void FailureNotRecorded(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Run {RunId}: finished with status {Status}, {Requests} requests")]
    public static partial void Finished(ILogger logger, string runId, string status, long requests);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Run {RunId}: shard {ShardKey} already stored, not run again")]
    public static partial void ShardAlreadyDone(ILogger logger, string runId, string shardKey);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "Run {RunId}: shard {ShardKey} starting on {Worker}")]
    public static partial void ShardStarting(ILogger logger, string runId, string shardKey, string worker);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Run {RunId}: shard {ShardKey} done: {Requests} requests, {Errors} errors, {Dropped} dropped")]
    public static partial void ShardDone(ILogger logger, string runId, string shardKey, long requests, long errors, long dropped);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Run {RunId}: shard {ShardKey} got no response ({Reason}); failing the attempt so it is retried")]
    public static partial void ShardFailed(ILogger logger, string runId, string shardKey, string reason);

    [LoggerMessage(EventId = 172, Level = LogLevel.Warning, Message = "Run {RunId}: shard {ShardKey} attempt {Attempt} failed ({Reason}); retrying it in its group after {DelaySeconds:0.#} s")]
    public static partial void ShardRetrying(ILogger logger, string runId, string shardKey, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Information, Message = "Run {RunId}: applied {Parameter}={Variant} for round {Round} in {ApplySeconds:0.0} s (settled in {SettleSeconds:0.0} s)")]
    public static partial void SettingsApplied(ILogger logger, string runId, string parameter, string variant, int round, double applySeconds, double settleSeconds);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "Run {RunId}: could not apply sweep value {Variant} for round {Round}; its shards are reported failed: {Reason}")]
    public static partial void SettingsFailed(ILogger logger, string runId, string variant, int round, string reason);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "Run {RunId}: put back {Restored} of {Total} sweep settings ({Reason})")]
    public static partial void SettingsRestored(ILogger logger, string runId, string reason, int restored, int total);

    [LoggerMessage(EventId = 118, Level = LogLevel.Error, Message = "Run {RunId}: sweep settings were NOT all put back; see settings/restored.json: {Reason}")]
    public static partial void SettingsNotRestored(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Run {RunId}: a sweep variant or capacity step has no modeled cost: {Reason}")]
    public static partial void PartCostUnavailable(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Run {RunId}: analysed: verdict {Verdict} against {BaselineRuns} baseline runs, {FailedThresholds} thresholds breached")]
    public static partial void Analyzed(ILogger logger, string runId, string verdict, int baselineRuns, int failedThresholds);

    [LoggerMessage(EventId = 139, Level = LogLevel.Warning, Message = "Run {RunId}: drift confirmed on {Metrics} (a new sustained change point in the history)")]
    public static partial void DriftFound(ILogger logger, string runId, string metrics);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Run {RunId}: {Status}, so no verdict; reports written")]
    public static partial void AnalysisSkipped(ILogger logger, string runId, string status);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "Run {RunId}: analysis failed: {Reason}")]
    public static partial void AnalysisFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Run {RunId}: persisted with status {Status} ({Succeeded}/{Total} shards)")]
    public static partial void Persisted(ILogger logger, string runId, string status, int succeeded, int total);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Run {RunId}: cold-start probe {Index} answered by {InstanceId} after {TimeToFirstSuccessMs:0.0} ms {Failure}")]
    public static partial void ColdStartProbed(ILogger logger, string runId, int index, string instanceId, double timeToFirstSuccessMs, string failure);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Run {RunId}: cold start {Index} forced by {Strategy}; app serving: {Serving}")]
    public static partial void ColdStartForced(ILogger logger, string runId, int index, string strategy, bool serving);

    [LoggerMessage(EventId = 132, Level = LogLevel.Information, Message = "Run {RunId}: cold starts {Cold} cold, {Warm} warm, {Unknown} unknown; cold p50 {ColdP50Ms:0.0} ms, warm p50 {WarmP50Ms:0.0} ms")]
    public static partial void ColdStartsSummarized(ILogger logger, string runId, int cold, int warm, int unknown, double coldP50Ms, double warmP50Ms);

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Run {RunId}: modeled cost {TotalUsd} USD, {Per1MUsd} USD per 1M requests")]
    public static partial void CostSampled(ILogger logger, string runId, double totalUsd, double per1MUsd);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Run {RunId}: Azure Monitor shows {Executions} executions of {Expected} measured")]
    public static partial void MeteredRead(ILogger logger, string runId, double executions, long expected);

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "Run {RunId}: App Insights shows {Requests} requests of {Expected} measured on {Instances} instance(s); server p50 {P50Ms} ms")]
    public static partial void ServerTelemetryRead(ILogger logger, string runId, long requests, long expected, int instances, double p50Ms);

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Run {RunId}: {Condition} alert sent to {Channel} ({Detail})")]
    public static partial void AlertSent(ILogger logger, string runId, string condition, string channel, string detail);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "Run {RunId}: {Condition} alert to {Channel} failed: {Detail} (recorded; the run is not failed by it)")]
    public static partial void AlertFailed(ILogger logger, string runId, string condition, string channel, string detail);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information, Message = "Run {RunId}: {Condition} alert to {Channel} suppressed by a silence window ({Reason})")]
    public static partial void AlertSuppressed(ILogger logger, string runId, string condition, string channel, string reason);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "Run {RunId}: {Condition} alert to {Channel} was left sending by an earlier attempt (claim {Claims}); taking it over")]
    public static partial void AlertTakenOver(ILogger logger, string runId, string condition, string channel, int claims);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "Run {RunId}: alerts could not be sent: {Reason} (the run is not failed by it)")]
    public static partial void AlertsNotSent(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "Run {RunId}: its telemetry could not be recorded: {Reason} (the run is not failed by it)")]
    public static partial void TelemetryNotRecorded(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 155, Level = LogLevel.Information, Message = "Run {RunId}: capacity step {Step} at {Rate:0.##}/s: {Outcome}")]
    public static partial void CapacityStep(ILogger logger, string runId, int step, double rate, string outcome);

    [LoggerMessage(EventId = 156, Level = LogLevel.Information, Message = "Run {RunId}: target process recycled before round {Round}; serving again after {SettleSeconds:0.###} s")]
    public static partial void TargetRecycled(ILogger logger, string runId, int round, double settleSeconds);

    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "Run {RunId}: fault {Index} set off ({Fault}); first success after {FirstSuccessMs:0} ms (-1: none)")]
    public static partial void FaultApplied(ILogger logger, string runId, int index, string fault, double firstSuccessMs);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "Run {RunId}: fault {Index} ({Kind}) could not be set off: {Reason}; the run goes on")]
    public static partial void FaultNotApplied(ILogger logger, string runId, int index, string kind, string reason);

    [LoggerMessage(EventId = 171, Level = LogLevel.Warning, Message = "Run {RunId}: Azure Monitor server metrics could not be read: {Reason}; no server-metrics.json")]
    public static partial void ServerMetricsNotRead(ILogger logger, string runId, string reason);
}
