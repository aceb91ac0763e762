using Microsoft.Extensions.Logging;

namespace Yardstick.Functions;

/// <summary>Log messages of the Functions host; every line about a run carries its run id (shard keys start with it).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Run {RunId}: started workload {Workload} ({Trigger})")]
    public static partial void RunStarted(ILogger logger, string runId, string workload, string trigger);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Request refused with {Status}: {Title} ({Field})")]
    public static partial void RequestRefused(ILogger logger, int status, string title, string field);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Run {RunId}: answered again for a repeated Idempotency-Key ({Endpoint})")]
    public static partial void RunReplayed(ILogger logger, string runId, string endpoint);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Request answered 503: {Dependency} failed")]
    public static partial void DependencyUnavailable(ILogger logger, Exception exception, string dependency);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Run {RunId}: gate budget of {BudgetSeconds} s spent; answered 202, the run goes on")]
    public static partial void GateBudgetSpent(ILogger logger, string runId, double budgetSeconds);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Run {RunId}: gate answered: {RuntimeStatus}, verdict {Verdict}")]
    public static partial void GateAnswered(ILogger logger, string runId, string runtimeStatus, string verdict);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Run {RunId}: promoted to baseline {Key} (changed: {Changed})")]
    public static partial void BaselinePromoted(ILogger logger, string runId, string key, bool changed);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Shard {ShardKey}: {Requests} requests, {Errors} errors, {Dropped} dropped, {Rps:0} req/s, p99 {P99Ms:0.0} ms")]
    public static partial void ShardProgress(ILogger logger, string shardKey, long requests, long errors, long dropped, double rps, double p99Ms);

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Schedule: {Count} scheduled workloads in {Directory}")]
    public static partial void ScheduleTick(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Schedule: skipped {File}: {Errors}")]
    public static partial void ScheduleSkippedInvalid(ILogger logger, string file, string errors);

    [LoggerMessage(EventId = 222, Level = LogLevel.Information, Message = "Run {RunId}: scheduled run of {Workload} already exists ({Status}); not started again")]
    public static partial void ScheduleAlreadyStarted(ILogger logger, string runId, string workload, string status);

    [LoggerMessage(EventId = 223, Level = LogLevel.Warning, Message = "Schedule: workload {Workload} refused: {Reason}")]
    public static partial void ScheduleRefused(ILogger logger, string workload, string reason);

    [LoggerMessage(EventId = 224, Level = LogLevel.Error, Message = "Schedule: workload {Workload} could not be started")]
    public static partial void ScheduleStartFailed(ILogger logger, Exception exception, string workload);

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Workload {Workload}: version {Version} (hash {Hash}) pushed (new: {Created})")]
    public static partial void WorkloadPushed(ILogger logger, string workload, int version, string hash, bool created);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Workload {Workload}: version {Version} retired")]
    public static partial void WorkloadRetired(ILogger logger, string workload, int version);

    [LoggerMessage(EventId = 232, Level = LogLevel.Information, Message = "Workload {Workload}: alerts silenced from {From} to {To}")]
    public static partial void SilenceAdded(ILogger logger, string workload, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(EventId = 240, Level = LogLevel.Warning, Message = "The task hub's owner marker was not written ({Reason}); a CLI worker pointed at this app's storage would not be refused")]
    public static partial void TaskHubMarkerSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 250, Level = LogLevel.Warning, Message = "Run {RunId}: was terminated after changing sweep settings; started {RestoreId} to put them back")]
    public static partial void TerminatedRunRestoreStarted(ILogger logger, string runId, string restoreId);
}
