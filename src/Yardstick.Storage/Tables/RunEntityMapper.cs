using Azure.Data.Tables;
using Yardstick.Core.Runs;

namespace Yardstick.Storage.Tables;

/// <summary>Maps <see cref="RunRecord"/> to and from a <c>Runs</c> row, column per field.</summary>
internal static class RunEntityMapper
{
    public static TableEntity ToEntity(RunRecord run, string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            [nameof(RunRecord.SchemaVersion)] = run.SchemaVersion,
            [nameof(RunRecord.RunId)] = run.RunId,
            [nameof(RunRecord.Workload)] = run.Workload,
            [nameof(RunRecord.Status)] = run.Status.ToString(),
            [nameof(RunRecord.Host)] = run.Host,
            [nameof(RunRecord.Requests)] = run.Requests,
            [nameof(RunRecord.Errors)] = run.Errors,
            [nameof(RunRecord.DroppedArrivals)] = run.DroppedArrivals,
            [nameof(RunRecord.ShardsSucceeded)] = run.ShardsSucceeded,
            [nameof(RunRecord.ShardsTotal)] = run.ShardsTotal,
            [nameof(RunRecord.SettingsKey)] = run.SettingsKey,
            [nameof(RunRecord.SettingsHash)] = run.SettingsHash,
            [nameof(RunRecord.BlobPrefix)] = run.BlobPrefix,
        };

        EntityValues.SetTime(entity, nameof(RunRecord.CreatedAt), run.CreatedAt);
        EntityValues.SetTime(entity, nameof(RunRecord.StartedAt), run.StartedAt);
        EntityValues.SetTime(entity, nameof(RunRecord.CompletedAt), run.CompletedAt);
        EntityValues.SetJson(entity, nameof(RunRecord.PhaseSeconds), run.PhaseSeconds);
        EntityValues.SetJson(entity, nameof(RunRecord.Tags), run.Tags);
        EntityValues.SetDouble(entity, nameof(RunRecord.ErrorRate), run.ErrorRate);
        EntityValues.SetDouble(entity, nameof(RunRecord.ThroughputRps), run.ThroughputRps);
        EntityValues.SetDouble(entity, nameof(RunRecord.P50Ms), run.P50Ms);
        EntityValues.SetDouble(entity, nameof(RunRecord.P90Ms), run.P90Ms);
        EntityValues.SetDouble(entity, nameof(RunRecord.P95Ms), run.P95Ms);
        EntityValues.SetDouble(entity, nameof(RunRecord.P99Ms), run.P99Ms);
        EntityValues.SetDouble(entity, nameof(RunRecord.MaxMs), run.MaxMs);
        if (run.Verdict is not null)
        {
            entity[nameof(RunRecord.Verdict)] = run.Verdict;
        }

        if (run.Drift is { Length: > 0 } drift)
        {
            entity[nameof(RunRecord.Drift)] = drift;
        }

        if (run.FailureReason is not null)
        {
            entity[nameof(RunRecord.FailureReason)] = run.FailureReason;
        }

        EntityValues.SetDouble(entity, nameof(RunRecord.ColdStartP50Ms), run.ColdStartP50Ms);
        EntityValues.SetDouble(entity, nameof(RunRecord.CostPer1MUsd), run.CostPer1MUsd);
        if (run.WorkloadVersion is { } version)
        {
            entity[nameof(RunRecord.WorkloadVersion)] = version;
        }

        if (run.WorkloadHash.Length > 0)
        {
            entity[nameof(RunRecord.WorkloadHash)] = run.WorkloadHash;
        }

        if (run.Environment is { Length: > 0 } environment)
        {
            entity[nameof(RunRecord.Environment)] = environment;
        }

        if (run.EnvironmentHash.Length > 0)
        {
            entity[nameof(RunRecord.EnvironmentHash)] = run.EnvironmentHash;
        }

        return entity;
    }

    public static RunRecord FromEntity(TableEntity entity) => new()
    {
        SchemaVersion = EntityValues.GetInt(entity, nameof(RunRecord.SchemaVersion)),
        RunId = EntityValues.GetString(entity, nameof(RunRecord.RunId)) ?? "",
        Workload = EntityValues.GetString(entity, nameof(RunRecord.Workload)) ?? TableKeys.Unescape(entity.PartitionKey),
        Status = Enum.TryParse<RunStatus>(EntityValues.GetString(entity, nameof(RunRecord.Status)), ignoreCase: true, out var status) ? status : RunStatus.Pending,
        CreatedAt = EntityValues.GetTime(entity, nameof(RunRecord.CreatedAt)) ?? default,
        StartedAt = EntityValues.GetTime(entity, nameof(RunRecord.StartedAt)),
        CompletedAt = EntityValues.GetTime(entity, nameof(RunRecord.CompletedAt)),
        Host = EntityValues.GetString(entity, nameof(RunRecord.Host)) ?? "local",
        PhaseSeconds = EntityValues.GetJson<Dictionary<string, double>>(entity, nameof(RunRecord.PhaseSeconds)) ?? [],
        Requests = EntityValues.GetLong(entity, nameof(RunRecord.Requests)),
        Errors = EntityValues.GetLong(entity, nameof(RunRecord.Errors)),
        ErrorRate = EntityValues.GetDouble(entity, nameof(RunRecord.ErrorRate)) ?? 0,
        ThroughputRps = EntityValues.GetDouble(entity, nameof(RunRecord.ThroughputRps)) ?? 0,
        P50Ms = EntityValues.GetDouble(entity, nameof(RunRecord.P50Ms)),
        P90Ms = EntityValues.GetDouble(entity, nameof(RunRecord.P90Ms)),
        P95Ms = EntityValues.GetDouble(entity, nameof(RunRecord.P95Ms)),
        P99Ms = EntityValues.GetDouble(entity, nameof(RunRecord.P99Ms)),
        MaxMs = EntityValues.GetDouble(entity, nameof(RunRecord.MaxMs)),
        DroppedArrivals = EntityValues.GetLong(entity, nameof(RunRecord.DroppedArrivals)),
        ShardsSucceeded = EntityValues.GetInt(entity, nameof(RunRecord.ShardsSucceeded)),
        ShardsTotal = EntityValues.GetInt(entity, nameof(RunRecord.ShardsTotal)),
        Verdict = EntityValues.GetString(entity, nameof(RunRecord.Verdict)),
        Drift = EntityValues.GetString(entity, nameof(RunRecord.Drift)),
        Tags = EntityValues.GetJson<Dictionary<string, string>>(entity, nameof(RunRecord.Tags)) ?? [],
        SettingsKey = EntityValues.GetString(entity, nameof(RunRecord.SettingsKey)) ?? "default",
        SettingsHash = EntityValues.GetString(entity, nameof(RunRecord.SettingsHash)) ?? "",
        BlobPrefix = EntityValues.GetString(entity, nameof(RunRecord.BlobPrefix)) ?? "",
        FailureReason = EntityValues.GetString(entity, nameof(RunRecord.FailureReason)),
        ColdStartP50Ms = EntityValues.GetDouble(entity, nameof(RunRecord.ColdStartP50Ms)),
        CostPer1MUsd = EntityValues.GetDouble(entity, nameof(RunRecord.CostPer1MUsd)),
        WorkloadVersion = entity.ContainsKey(nameof(RunRecord.WorkloadVersion)) ? EntityValues.GetInt(entity, nameof(RunRecord.WorkloadVersion)) : null,
        WorkloadHash = EntityValues.GetString(entity, nameof(RunRecord.WorkloadHash)) ?? "",
        Environment = EntityValues.GetString(entity, nameof(RunRecord.Environment)),
        EnvironmentHash = EntityValues.GetString(entity, nameof(RunRecord.EnvironmentHash)) ?? "",
    };
}
