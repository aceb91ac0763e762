using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Environments;
using Yardstick.Core.Load;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Replay;
using Yardstick.Core.Verdicts;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Generates one shard's load and stores its full result as a blob; returns only a small summary.
/// Idempotent: a shard whose successful result is already stored is not run again (a resumed run does not
/// redo completed shards), and a re-run overwrites the same blob.
/// </summary>
public sealed class RunLoadShardActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    LoadGenerator generator,
    ILoadProgress progress,
    YardstickHostOptions options,
    ILogger<RunLoadShardActivity> logger,
    ILocalTargets? localTargets = null,
    IDatasetStore? datasets = null) : TaskActivity<ShardTask, ShardSummary>
{
    public override Task<ShardSummary> RunAsync(TaskActivityContext context, ShardTask input) => RunAsync(input, storedResultMayExist: true);

    /// <summary>
    /// Runs the shard as the activity does. <paramref name="storedResultMayExist"/> false skips the look-up for a stored
    /// result: the caller listed the round's stored results and this shard had none (<see cref="RunLoadShardGroupActivity"/>:
    /// one listing per group instead of one read per shard, each a round trip through Azurite's single thread).
    /// </summary>
    public async Task<ShardSummary> RunAsync(ShardTask input, bool storedResultMayExist)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = options.Shutdown;
        var resultName = ShardResultNames.For(input);
        var existing = storedResultMayExist ? await artifacts.GetAsync(input.Workload, input.RunId, resultName, cancellationToken) : null;
        if (existing is not null)
        {
            var stored = YardstickJson.Deserialize<ShardResult>(existing);
            if (stored.FailureReason is null)
            {
                Log.ShardAlreadyDone(logger, input.RunId, input.Key);
                return Summarize(input, stored, resultName);
            }
        }

        Log.ShardStarting(logger, input.RunId, input.Key, options.WorkerName);
        var plan = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var templates = input.Phase == RunPhase.Warmup ? plan.WarmupShards : plan.MeasuredShards;
        var template = templates[input.ShardIndex];
        var shardPlan = template with
        {
            Phase = input.Phase,
            Round = input.Round,
            Variant = input.Variant,
            StartAt = input.StartAt,
            Seed = Seeds.Derive(template.Seed, input.Round, input.Variant, input.ShardIndex),
        };
        if (input.Variant == PairedSchedule.ReferenceVariant && plan.Workload.Compare.Against is { } against)
        {
            // A paired gate's reference round: the same requests, on the reference's origin (allowed at planning).
            var targetOrigin = PairedSchedule.OriginOf(plan.Workload.Target.Url);
            var referenceOrigin = PairedSchedule.OriginOf(against);
            shardPlan = shardPlan with
            {
                Requests = shardPlan.Requests.Select(r => r with { Url = PairedSchedule.OnReference(r.Url, targetOrigin, referenceOrigin) }).ToList(),
            };
        }

        if (input.RatePerSecond is { } stepRate && shardPlan.Arrivals is { } arrivals)
        {
            // A capacity step: this shard's share of the step's rate, constant for the phase.
            shardPlan = shardPlan with
            {
                Arrivals = ArrivalCurve.Constant(new Rate(stepRate / Math.Max(1, shardPlan.ShardCount)), shardPlan.Duration) with { Process = arrivals.Process },
            };
        }

        if (plan.Workload.Target.Process is { } process)
        {
            if (localTargets is null)
            {
                throw new InputException("target.process", "this host cannot start local target processes.");
            }

            // A sweep variant's process runs with its setting in the environment (restarted if a resumed run left another).
            var environment = SweepEnvironment.For(plan.Workload.Sweep, input.Variant);
            await localTargets.EnsureRunningAsync(input.RunId, process, environment, process.ReadyUrl ?? plan.Workload.Target.Url, plan.WorkloadDirectory, cancellationToken);
        }

        // The shard's rows stream from the dataset (one reader per shard, bounded memory): a file only on the CLI's hosts,
        // a blob on every host, at the ETag the plan recorded (a blob replaced since fails the shard, naming data.blob).
        if (plan.Workload.Data is { File: not null } && !options.AllowDatasetFiles)
        {
            throw new InputException("data.file", $"the {options.Host} host does not read dataset files.");
        }

        using var dataRows = plan.Workload.Data switch
        {
            { Blob: not null } blobData => OpenBlobRows(blobData, plan.Dataset, shardPlan),
            { } fileData => DatasetFiles.OpenRows(plan.WorkloadDirectory, fileData, shardPlan.ShardIndex, shardPlan.ShardCount, shardPlan.Seed),
            null => null,
        };

        // A replay's shard streams its own arrivals of the trace (the file, or the blob at the planned ETag); the
        // prefetcher starts now so its ring is full when the shard starts. With a dataset it draws each arrival's row
        // from the shard's rows and writes the path and body already filled.
        using var replay = shardPlan.Trace is { } trace
            ? new ReplayFeed(
                TraceBlobs.Opener(trace, plan.WorkloadDirectory, datasets, options), trace, shardPlan.ShardIndex, shardPlan.ShardCount, shardPlan.MaxInFlight,
                dataRows, plan.Workload.Data?.File ?? plan.Workload.Data?.Blob, ReplayContentType(shardPlan))
            : null;
        replay?.Start();

        // Secrets are substituted here, on the worker, and live only in this transport.
        var catalog = RequestCatalog.Compile(
            shardPlan.Requests.Select(r => SecretReferences.ResolveTemplate(r, options.Environment)).ToList(),
            new RequestCatalogOptions
            {
                CorrelationRunId = shardPlan.Correlation ? shardPlan.RunId : null,
                TraceSeed = shardPlan.Seed,
                Data = (IDataRows?)replay ?? dataRows,
                VerbatimData = replay is not null,
            });
        var transportOptions = new TransportOptions
        {
            RequestTimeout = shardPlan.RequestTimeout,
            MaxConnections = shardPlan.Connections,
            Policy = options.TargetPolicy,
        };

        ShardResult result;
        await using (var transport = HttpTransportFactory.Create(catalog, transportOptions))
        {
            result = await generator.RunAsync(shardPlan, transport, progress, cancellationToken, replay);
        }

        result = result with { Worker = options.WorkerName, Environment = GeneratorEnvironmentCapture.Current(options.Host) };
        if (dataRows?.ExhaustedReason is { } exhausted)
        {
            result = result with { DataExhausted = exhausted, SampleErrors = [.. result.SampleErrors, exhausted] };
        }

        if (replay?.FailureReason is { } replayFailure)
        {
            // The trace could not be replayed to the window's end (it changed, or could not be read): not the planned load.
            result = result with { FailureReason = replayFailure, SampleErrors = [.. result.SampleErrors, replayFailure] };
            await artifacts.PutAsync(input.Workload, input.RunId, resultName, YardstickJson.ToUtf8(result), "application/json", cancellationToken);
            Log.ShardFailed(logger, input.RunId, input.Key, replayFailure);
            throw new ShardFailedException($"shard {input.Key}: {replayFailure}");
        }

        // A shard cut short by the host shutting down is not a measurement: fail the attempt so it runs again on resume.
        cancellationToken.ThrowIfCancellationRequested();

        var responses = result.Successes + result.Errors.Http4xx + result.Errors.Http5xx + result.Errors.Check;
        if (responses == 0)
        {
            var reason = result.FailureReason ?? DescribeNoResponse(result);
            result = result with { FailureReason = reason };
            await artifacts.PutAsync(input.Workload, input.RunId, resultName, YardstickJson.ToUtf8(result), "application/json", cancellationToken);
            Log.ShardFailed(logger, input.RunId, input.Key, reason);
            throw new ShardFailedException($"shard {input.Key} got no response: {reason}");
        }

        await artifacts.PutAsync(input.Workload, input.RunId, resultName, YardstickJson.ToUtf8(result), "application/json", cancellationToken);
        Log.ShardDone(logger, input.RunId, input.Key, result.Requests, result.Errors.Total, result.DroppedArrivals);
        return Summarize(input, result, resultName);
    }

    /// <summary>The Content-Type the replay's requests carry (target.headers), which decides whether a trace body is JSON.</summary>
    private static string? ReplayContentType(ShardPlan shardPlan) =>
        shardPlan.Requests.Count == 0 ? null
            : shardPlan.Requests[0].Headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;

    private static string DescribeNoResponse(ShardResult result)
    {
        var sample = result.SampleErrors.Count > 0 ? result.SampleErrors[0] : null;
        return $"{result.Requests} attempts, {result.Errors.Connect} connect failures, {result.Errors.Timeout} timeouts" + (sample is null ? "" : $" (e.g. {sample})");
    }

    /// <summary>A blob dataset opened at the plan's ETag; a blob replaced since the plan fails this shard with the reason.</summary>
    private DatasetRows OpenBlobRows(Core.Workloads.DataSpec data, Core.Summaries.DatasetSummary? planned, ShardPlan shardPlan)
    {
        try
        {
            return DatasetBlobs.OpenRows(datasets, data, planned, shardPlan.ShardIndex, shardPlan.ShardCount, shardPlan.Seed);
        }
        catch (DatasetChangedException e)
        {
            throw new ShardFailedException(e.Describe());
        }
    }

    private static ShardSummary Summarize(ShardTask task, ShardResult result, string resultName) => new()
    {
        Key = task.Key,
        Phase = task.Phase,
        Round = task.Round,
        Variant = task.Variant,
        ShardIndex = task.ShardIndex,
        Requests = result.Requests,
        Successes = result.Successes,
        Errors = result.Errors.Total,
        DroppedArrivals = result.DroppedArrivals,
        ResultRef = resultName,
        FailureReason = result.FailureReason,
    };
}

/// <summary>A shard that produced no response at all; thrown so Durable's retry policy runs it again.</summary>
public sealed class ShardFailedException(string message) : Exception(message);

