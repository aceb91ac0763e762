using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Reads App Insights' <c>AppRequests</c> for the measured window from the target's Log Analytics workspace: the
/// server-side request count, duration p50/p95 and distinct instances, and the modeled cost recomputed from the
/// server durations with the same billing rules (<see cref="ModeledCost"/>). Runs of up to <see cref="RowLimit"/>
/// requests are read row by row (per-instance busy intervals for Flex); larger ones as 1 ms duration buckets and
/// instance counts. Reads only; safe to retry.
/// </summary>
public sealed class ReadServerTelemetryActivity(
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<ReadServerTelemetryActivity> logger,
    IServerTelemetrySource? telemetry = null) : TaskActivity<ServerTelemetryRequest, ServerTelemetryResult>
{
    /// <summary>
    /// Most measured requests read row by row. The query API caps a result at 500,000 rows and 64 MB
    /// (learn.microsoft.com azure-monitor/service-limits, "Log queries"); 100,000 rows of seven columns stay well inside.
    /// </summary>
    public const long RowLimit = 100_000;

    /// <summary>Share of the measured requests App Insights should show; fewer gets a note (ingestion lag, sampling, other roles).</summary>
    public const double CompleteFraction = 0.9;

    public override async Task<ServerTelemetryResult> RunAsync(TaskActivityContext context, ServerTelemetryRequest input)
    {
        var cancellationToken = options.Shutdown;
        if (telemetry is null)
        {
            return new ServerTelemetryResult { Note = $"this {options.Host} host has no Azure access to query App Insights" };
        }

        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var spec = stored.Workload.Cost ?? throw new InputException("cost", "the workload has no cost section.");
        var azure = stored.Workload.Target.Azure;
        var workspace = azure?.LogAnalyticsWorkspaceId ?? throw new InputException("target.azure.logAnalyticsWorkspaceId", "server durations need the App Insights workspace id.");
        var app = azure.ResourceId.TrimEnd('/').Split('/')[^1];
        var wall = input.To - input.From;

        UsageProfile usage;
        int instances;
        string detail;
        if (input.ExpectedExecutions <= RowLimit)
        {
            var requests = await telemetry.GetRequestsAsync(workspace, app, input.From, input.To, cancellationToken);
            usage = ServerUsage.FromRequests(requests, wall);
            instances = requests.Select(r => r.RoleInstance).Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).Count();
            detail = "requests";
        }
        else
        {
            var buckets = await telemetry.GetDurationBucketsAsync(workspace, app, input.From, input.To, cancellationToken);
            var seen = await telemetry.GetInstanceFirstSeenAsync(workspace, app, input.From, input.To, cancellationToken);
            usage = ServerUsage.FromBuckets(buckets, wall);
            instances = seen.Select(s => s.RoleInstance).Distinct(StringComparer.Ordinal).Count();
            detail = "aggregates";
        }

        var server = ServerUsage.Summarize(usage, instances, input.From, input.To, detail);
        Log.ServerTelemetryRead(logger, input.RunId, server.Requests, input.ExpectedExecutions, instances, server.DurationP50Ms ?? -1);
        if (usage.Executions == 0)
        {
            return new ServerTelemetryResult
            {
                Note = $"App Insights shows no requests of role '{app}' from {input.From:u} to {input.To:u} (is the app sending requests to that workspace, unsampled?)",
            };
        }

        var notes = new List<string>
        {
            $"server: App Insights AppRequests of role '{app}' from {input.From:u} to {input.To:u}: {server.Requests} requests on {instances} instance(s)"
                + (detail == "aggregates" ? $" (read as aggregates: more than {RowLimit} requests)" : ""),
        };
        if (server.Requests < CompleteFraction * input.ExpectedExecutions)
        {
            notes.Add($"server: App Insights shows {server.Requests} of the {input.ExpectedExecutions} measured requests (ingestion lag or sampling): the server figures may be low");
        }

        var catalog = PricingCatalogs.Load(spec, stored.WorkloadDirectory, options);
        var estimate = ModeledCost.Estimate(spec, usage, catalog, allowDefaultPrices: true);
        return new ServerTelemetryResult { Server = server, ServerModeled = estimate, Notes = notes };
    }
}
