using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Modeled cost of the run from the stored measured shard results (<see cref="CostSampler"/>: usage per serving
/// instance from the load engine, the plan's billing rule, a bootstrap interval), the measured window for the metered
/// read, and — on the Functions host — the benchmark's own cost (all shards, both sides of a paired run: the generator
/// ran them all). A paired run's cost prices the candidate's shards only (<see cref="PairedCostScope"/>). Reads only;
/// safe to retry.
/// </summary>
public sealed class SampleCostActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<SampleCostActivity> logger) : TaskActivity<CostSampleRequest, CostSample>
{
    public override async Task<CostSample> RunAsync(TaskActivityContext context, CostSampleRequest input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var spec = stored.Workload.Cost ?? throw new InputException("cost", "the workload has no cost section.");
        var catalog = PricingCatalogs.Load(spec, stored.WorkloadDirectory, options);

        var results = new List<ShardResult>();
        foreach (var shard in input.AllShards().Where(s => s.Succeeded))
        {
            var bytes = await artifacts.GetAsync(input.Workload, input.RunId, shard.ResultRef, cancellationToken)
                ?? throw new InvalidOperationException($"Run {input.RunId}: shard result {shard.ResultRef} is missing.");
            results.Add(YardstickJson.Deserialize<ShardResult>(bytes));
        }

        // A paired run prices the candidate's shards only (its figures, its meters); the window below is theirs too.
        var (measured, pairedNote) = PairedCostScope.Select(
            results.Where(r => r.Phase == RunPhase.Measured && r.FailureReason is null).ToList(),
            stored.Workload.Compare.Against);
        var seed = (int)(Seeds.FromText(input.RunId) & int.MaxValue);
        var modeled = CostSampler.Estimate(spec, measured, catalog, seed);
        var notes = new List<string>();
        if (pairedNote is not null)
        {
            notes.Add(pairedNote);
        }

        double? benchmark = null;
        if (options.BenchmarkInstanceMemoryMB is { } memory && results.Count > 0)
        {
            var estimate = BenchmarkCost.Estimate(
                results.Select(r => new BenchmarkExecution(r.EndedAt - r.StartedAt + r.StartDelay)).ToList(),
                memory,
                options.BenchmarkRegion ?? spec.Region,
                catalog);
            benchmark = estimate.TotalUsd;
            notes.Add(estimate.Note);
        }

        Log.CostSampled(logger, input.RunId, modeled.TotalUsd, modeled.Per1MRequestsUsd ?? -1);
        return new CostSample
        {
            Modeled = modeled,
            From = measured.Count > 0 ? measured.Min(r => r.StartedAt) : null,
            To = measured.Count > 0 ? measured.Max(r => r.EndedAt) : null,
            BenchmarkCostUsd = benchmark,
            Notes = notes,
        };
    }
}
