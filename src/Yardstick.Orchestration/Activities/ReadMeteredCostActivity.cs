using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Core.Cost;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Reads Azure Monitor's billing metrics over the measured window (widened to whole minutes: the metrics' grain is
/// PT1M) and prices them (<see cref="MeteredCost"/>). Not ready while the metered executions fall short of 90 % of the
/// executions the load engine measured (metrics land minutes late); on the last read partial metrics are accepted
/// with a note. With the metered figures it also reads the app's server metrics (<see cref="IServerMetricsSource"/>,
/// best effort: a failed read is logged, never fails the cost) into <c>server-metrics.json</c>, so they get the same
/// ingestion wait. Reads, and one overwrite keyed by the run; safe to retry.
/// </summary>
public sealed class ReadMeteredCostActivity(
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<ReadMeteredCostActivity> logger,
    IMeteredCostSource? source = null,
    IArtifactStore? artifacts = null,
    IServerMetricsSource? serverMetrics = null) : TaskActivity<MeteredCostRequest, MeteredCostResult>
{
    /// <summary>Share of the measured executions the metrics must show before they count as landed.</summary>
    public const double ReadyFraction = 0.9;

    public override async Task<MeteredCostResult> RunAsync(TaskActivityContext context, MeteredCostRequest input)
    {
        var cancellationToken = options.Shutdown;
        if (source is null)
        {
            return new MeteredCostResult { Note = $"this {options.Host} host has no Azure access to read Azure Monitor metrics" };
        }

        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var spec = stored.Workload.Cost ?? throw new InputException("cost", "the workload has no cost section.");
        var resourceId = stored.Workload.Target.Azure?.ResourceId ?? throw new InputException("target.azure", "metered cost needs target.azure.resourceId.");
        var (from, to) = WholeMinutes(input.From, input.To);
        var usage = await source.GetMeteredUsageAsync(resourceId, spec.Plan, from, to, cancellationToken);
        var executions = FunctionMetrics.Mapping(spec.Plan)
            .Where(m => m.Divisor == 1)
            .Sum(m => usage.MetricTotals.GetValueOrDefault(m.Metric));
        Log.MeteredRead(logger, input.RunId, executions, input.ExpectedExecutions);
        var landed = executions >= ReadyFraction * input.ExpectedExecutions;
        if (!landed && (!input.Last || executions <= 0))
        {
            return new MeteredCostResult { Note = $"Azure Monitor shows {executions:0} of the {input.ExpectedExecutions} measured executions" };
        }

        var catalog = PricingCatalogs.Load(spec, stored.WorkloadDirectory, options);
        var metered = MeteredCost.Estimate(spec, usage with { Notes = [.. usage.Notes, .. WindowNotes(from, to, landed, executions, input.ExpectedExecutions)] }, catalog, allowDefaultPrices: true);
        await WriteServerMetricsAsync(input, resourceId, spec.Plan, cancellationToken);
        return new MeteredCostResult { Metered = metered };
    }

    private async Task WriteServerMetricsAsync(MeteredCostRequest input, string resourceId, HostingPlan plan, CancellationToken cancellationToken)
    {
        if (serverMetrics is null || artifacts is null)
        {
            return;
        }

        try
        {
            var set = await serverMetrics.ReadAsync(resourceId, plan, input.From, input.To, cancellationToken);
            await artifacts.PutAsync(input.Workload, input.RunId, PersistRunActivity.ServerMetricsBlobName, YardstickJson.ToUtf8(set, indented: true), "application/json", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ServerMetricsNotRead(logger, input.RunId, e.Message);
        }
    }

    /// <summary>The window widened to whole minutes (the metrics' time grain).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WholeMinutes(DateTimeOffset from, DateTimeOffset to)
    {
        var minute = TimeSpan.FromMinutes(1).Ticks;
        var start = new DateTimeOffset(from.UtcTicks / minute * minute, TimeSpan.Zero);
        var end = new DateTimeOffset((to.UtcTicks + minute - 1) / minute * minute, TimeSpan.Zero);
        return (start, end > start ? end : start.AddMinutes(1));
    }

    private static IEnumerable<string> WindowNotes(DateTimeOffset from, DateTimeOffset to, bool landed, double executions, long expected)
    {
        yield return $"metered: window widened to whole minutes ({from:HH:mm}–{to:HH:mm} UTC): it may include other traffic to the app in those minutes (warm-up, probes)";
        if (!landed)
        {
            yield return $"metered: only {executions:0} of {expected} measured executions had landed at the last read: the metered figures may be low";
        }
    }
}
