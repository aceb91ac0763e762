using Microsoft.DurableTask;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Step 1 of a run: validates the workload (schema, semantics, secrets resolvable, target allowed, and an Azure target's
/// site bound to the target URL's host through ARM: <see cref="AzureTargetGuard"/>), splits the
/// load into shard plans, stores <c>plan.json</c> and the workload, and writes the run's row as Running.
/// Idempotent: the same request always yields the same plan and overwrites the same blobs and row.
/// </summary>
public sealed class PlanRunActivity(
    IArtifactStore artifacts,
    IRunStore runs,
    YardstickHostOptions options,
    TimeProvider time,
    ITargetControl? targetControl = null,
    IDatasetStore? datasets = null) : TaskActivity<RunRequest, RunPlan>
{
    public override async Task<RunPlan> RunAsync(TaskActivityContext context, RunRequest input)
    {
        try
        {
            return await PlanAsync(input);
        }
        catch (InputException e) when (e is not PlanningInputException)
        {
            // Durable carries an activity's failure as type and message only: the field goes into the message.
            throw new PlanningInputException(e);
        }
    }

    private async Task<RunPlan> PlanAsync(RunRequest input)
    {
        var cancellationToken = options.Shutdown;
        var workload = WorkloadLoader.LoadText(input.WorkloadText, input.WorkloadSource, input.Overrides, options.Environment);
        workload = workload with { Tags = Merge(workload.Tags, input.Tags) };
        RunPreflight.Check(workload, options);
        FlexScaleSettings? targetScale = null;
        Core.Environments.AppSettingsFingerprint? appSettings = null;
        if (targetControl is not null)
        {
            // The allow-list admitted target.url; the site this run will restart and reconfigure must answer on it.
            await AzureTargetGuard.EnsureBoundToUrlAsync(workload, options, targetControl, cancellationToken);
            targetScale = await ReadTargetScaleAsync(workload, targetControl, cancellationToken);
            appSettings = await ReadTargetAppSettingsAsync(workload, targetControl, cancellationToken);
        }

        var seed = workload.Load.Seed ?? Seeds.FromText(input.RunId);
        var capacity = CapacityPlan.From(workload);
        if (capacity is not null)
        {
            // A capacity search plans its shards, connections and in-flight cap for its highest rate; every step then
            // sends its own rate through them (ShardTask.RatePerSecond).
            workload = workload with { Load = workload.Load with { Rate = new Rate(capacity.MaxRate) } };
        }

        Core.Replay.TraceSummary? trace = null;
        if (workload.Load.Model == LoadModel.Replay)
        {
            // The trace is read once here (streaming): its identity for the record, its duration and endpoints for the plan.
            trace = await TraceBlobs.DescribeAsync(workload, input.WorkloadDirectory, datasets, options, cancellationToken);
            workload = workload with { Load = workload.Load with { Duration = trace.ReplayDuration } };
        }

        var measured = ShardPlanner.Plan(workload, input.RunId, RunPhase.Measured, 0, "", default, seed, trace);
        var warmup = workload.Load.Warmup > TimeSpan.Zero
            ? ShardPlanner.Plan(workload, input.RunId, RunPhase.Warmup, 0, "", default, Seeds.Derive(seed, -1, "warmup", 0))
            : [];

        var createdAt = RunIds.CreatedAt(input.RunId);
        // A sweep's variants are its settings; a paired gate's are the candidate (the run's own rounds) and the reference.
        List<string> variants = workload.Sweep is { } sweep ? sweep.Cells().Select(c => c.Key).ToList()
            : workload.Compare.Against is not null ? ["", PairedSchedule.ReferenceVariant]
            : [""];
        var plan = new RunPlan
        {
            RunId = input.RunId,
            Workload = workload.Name,
            Model = workload.Load.Model,
            Shards = measured.Count,
            Repeat = workload.Compare.Repeat,
            Warmup = workload.Load.Warmup,
            Recycle = workload.Compare.Recycle,
            Duration = measured[0].Duration,
            Variants = variants,
            Turns = workload.Compare.Against is not null
                ? PairedSchedule.Turns(workload.Compare.Repeat, seed)
                : RoundPlan.Turns(variants.Count, workload.Compare.Repeat, Order(workload.Sweep), seed),
            ColdStart = workload.ColdStart.Strategy,
            ColdStartPlan = StepPlans.ColdStart(workload, options),
            CostPlan = StepPlans.Cost(workload, options),
            MinShardSuccess = workload.Load.MinShardSuccess,
            HasAlerts = workload.Alerts is not null || options.DefaultAlerts is not null,
            Capacity = capacity,
            Faults = StepPlans.Faults(workload),
            CreatedAt = createdAt,
        };

        var settingsHash = WorkloadFingerprint.SettingsHash(workload);
        var dataset = workload.Data is { Blob: not null }
            ? await DatasetBlobs.DescribeAsync(workload, datasets, options, cancellationToken)
            : DescribeDataset(workload, input.WorkloadDirectory);
        var workloadHash = input.WorkloadHash ?? WorkloadContentHash.Of(input.WorkloadText);
        var stored = new StoredPlan
        {
            Plan = plan,
            Workload = workload,
            WorkloadDirectory = input.WorkloadDirectory,
            TargetScale = targetScale,
            TargetAtStart = Core.Environments.RunEnvironments.Target(workload, input.WorkloadDirectory, targetScale, appSettings),
            MeasuredShards = measured,
            WarmupShards = warmup,
            Tags = workload.Tags,
            SettingsHash = settingsHash,
            WorkloadVersion = input.WorkloadVersion,
            WorkloadHash = workloadHash,
            Dataset = dataset,
            Trace = trace,
        };

        await artifacts.PutAsync(workload.Name, input.RunId, PlanReader.PlanBlobName, YardstickJson.ToUtf8(stored, indented: true), "application/json", cancellationToken);
        await artifacts.PutAsync(workload.Name, input.RunId, WorkloadBlobName(input.WorkloadText), System.Text.Encoding.UTF8.GetBytes(input.WorkloadText), "text/plain; charset=utf-8", cancellationToken);

        await runs.UpsertAsync(
            new RunRecord
            {
                RunId = input.RunId,
                Workload = workload.Name,
                Status = RunStatus.Running,
                CreatedAt = createdAt,
                StartedAt = time.GetUtcNow(),
                Host = options.Host,
                Tags = workload.Tags,
                SettingsKey = "default",
                SettingsHash = settingsHash,
                BlobPrefix = $"{workload.Name}/{input.RunId}/",
                ShardsTotal = plan.Shards * plan.Repeat * plan.Variants.Count,
                WorkloadVersion = input.WorkloadVersion,
                WorkloadHash = workloadHash,
            },
            cancellationToken);

        return plan;
    }

    /// <summary>
    /// An Azure target's scale settings from ARM, for the run's environment (memory, maximum instances, per-instance
    /// concurrency, always-ready). Best effort: environment capture never fails a run, so a failed read is recorded as
    /// unknown (null); cancellation still ends the activity.
    /// </summary>
    public static async Task<FlexScaleSettings?> ReadTargetScaleAsync(Workload workload, ITargetControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(control);
        if (workload.Target.Azure is not { } azure)
        {
            return null;
        }

        try
        {
            return await control.GetScaleSettingsAsync(azure.ResourceId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// An Azure target's app settings fingerprint from ARM (names, and a hash of the values), for the run's environment.
    /// Best effort like the scale settings: an identity that may not list them leaves it unknown (null).
    /// </summary>
    public static async Task<Core.Environments.AppSettingsFingerprint?> ReadTargetAppSettingsAsync(Workload workload, ITargetControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(control);
        if (workload.Target.Azure is not { } azure)
        {
            return null;
        }

        try
        {
            return await control.GetAppSettingsFingerprintAsync(azure.ResourceId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Reads the dataset file once (streaming) for its SHA-256, rows and size; null without <c>data.file</c>.</summary>
    private static Core.Summaries.DatasetSummary? DescribeDataset(Workload workload, string? workloadDirectory)
    {
        if (workload.Data is not { File: { } file } data)
        {
            return null;
        }

        Core.Datasets.DatasetInfo info;
        try
        {
            info = Core.Datasets.DatasetFiles.Describe(Core.Datasets.DatasetFiles.Resolve(workloadDirectory, file), file);
        }
        catch (Core.Datasets.DatasetException e)
        {
            throw new InputException("data.file", e.Message);
        }

        return new Core.Summaries.DatasetSummary
        {
            File = file,
            Sha256 = info.Sha256,
            Rows = info.Rows,
            Bytes = info.Bytes,
            Mode = data.Mode.ToString().ToLowerInvariant(),
            OnExhausted = data.Exhaustion.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>The original workload text is kept with the run (it holds only <c>${env:}</c> references, never secrets).</summary>
    public static string WorkloadBlobName(string text) => text.TrimStart().StartsWith('{') ? "workload.json" : "workload.yaml";

    /// <summary>A grid shuffles its cells per round unless told otherwise; a one-parameter sweep keeps A B C A B C.</summary>
    private static RoundOrder Order(SweepSpec? sweep) => sweep?.Order switch
    {
        RoundOrderSpec.Shuffled => RoundOrder.Shuffled,
        RoundOrderSpec.Interleaved => RoundOrder.Interleaved,
        _ => sweep is { Grid.Count: > 0 } ? RoundOrder.Shuffled : RoundOrder.Interleaved,
    };

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> workloadTags, IReadOnlyDictionary<string, string> requestTags)
    {
        var merged = new Dictionary<string, string>(workloadTags);
        foreach (var (key, value) in requestTags)
        {
            merged[key] = value;
        }

        return merged;
    }
}

/// <summary>
/// Bad input found while planning, with the field in its message (<c>data.blob: '…' does not exist …</c>), since a
/// Durable failure keeps only the exception's type and message. Still an <see cref="InputException"/>, so the
/// orchestrator can tell bad input from a broken host (<c>TaskFailureDetails.IsCausedBy</c>).
/// </summary>
public sealed class PlanningInputException(InputException inner) : InputException(inner.Field, WithField(inner), inner.Source)
{
    /// <summary>The message with the field in front, unless it already starts with it.</summary>
    private static string WithField(InputException inner) =>
        inner.Message.StartsWith(inner.Field, StringComparison.Ordinal) ? inner.Message : $"{inner.Field}: {inner.Message}";

    /// <summary>The message already names the field.</summary>
    public override string Describe() => Source is null ? Message : $"{Source}: {Message}";
}
