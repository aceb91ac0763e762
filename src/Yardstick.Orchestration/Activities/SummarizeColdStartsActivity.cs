using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Classifies the probes (instance header; for Azure targets without one, App Insights role instances and their
/// first-seen times), computes the cold-start figures and stores <c>probes.json</c>. Idempotent: one overwrite.
/// </summary>
public sealed class SummarizeColdStartsActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<SummarizeColdStartsActivity> logger,
    IServerTelemetrySource? telemetry = null) : TaskActivity<SummarizeColdStartsRequest, ColdStartSummary>
{
    public const string ProbesBlobName = "probes.json";

    /// <summary>How far before the first forcing the telemetry is searched for instances that served already.</summary>
    private static readonly TimeSpan FirstSeenLookback = TimeSpan.FromHours(1);

    public override async Task<ColdStartSummary> RunAsync(TaskActivityContext context, SummarizeColdStartsRequest input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var workload = stored.Workload;
        var notes = new List<string>(input.Notes) { FigureNote(input.Strategy) };
        var probes = input.Probes;
        IReadOnlyDictionary<string, DateTimeOffset>? firstSeen = null;
        if (input.UseTelemetry && telemetry is not null && workload.Target.Azure is { LogAnalyticsWorkspaceId: { } workspace } azure && probes.Any(p => p.First is not null))
        {
            var app = azure.ResourceId.TrimEnd('/').Split('/')[^1];
            var from = probes.Min(p => p.ForcedAt);
            var to = probes.Where(p => p.First is not null).Max(p => p.First!.At) + TimeSpan.FromMinutes(1);
            try
            {
                var requests = await telemetry.GetRequestsAsync(workspace, app, from - ColdStartClassifier.FirstSeenTolerance, to, cancellationToken);
                probes = ColdStartClassifier.AttachTelemetry(probes, requests);
                var seen = await telemetry.GetInstanceFirstSeenAsync(workspace, app, from - FirstSeenLookback, to, cancellationToken);
                firstSeen = seen.GroupBy(s => s.RoleInstance, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(s => s.FirstSeen), StringComparer.Ordinal);
                notes.Add($"instances of probes without the {workload.Target.InstanceHeader} header taken from App Insights (AppRequests role instance, first seen within {FirstSeenLookback.TotalMinutes:0} min before the probes)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notes.Add("App Insights telemetry could not be read: " + e.Message);
            }
        }

        var classified = ColdStartClassifier.Classify(probes, workload.Target.InstanceHeader, firstSeen, idle: input.Strategy == ColdStartStrategy.Idle, input.PrimedInstance);
        var summary = ColdStartStatistics.Summarize(ColdStartStep.StrategyName(input.Strategy), classified, notes);
        var document = new ProbesDocument { Strategy = summary.Strategy, Probes = probes, Summary = summary };
        await artifacts.PutAsync(input.Workload, input.RunId, ProbesBlobName, YardstickJson.ToUtf8(document, indented: true), "application/json", cancellationToken);
        Log.ColdStartsSummarized(logger, input.RunId, summary.Cold, summary.Warm, summary.Unknown, summary.ColdP50Ms ?? -1, summary.WarmP50Ms ?? -1);
        return summary;
    }

    private static string FigureNote(ColdStartStrategy strategy) => strategy switch
    {
        ColdStartStrategy.Process => "cold figure: time from the process start to the first successful response (process start-up and initialization included)",
        ColdStartStrategy.Idle => "idle strategy: a primed target, then per probe a durable-timer wait of its idle time and one request; a probe answered by an instance already seen found it warm (a result here, not a mismatch); cold figure: time from that request to its first successful response",
        _ => "cold figure: time from the probe's first request to the first successful response (the forcing and any settle or idle wait not included)",
    };
}

/// <summary><c>probes.json</c>: every probe as measured, with the summary that classified it.</summary>
public sealed record ProbesDocument
{
    public int SchemaVersion { get; init; } = 1;

    public required string Strategy { get; init; }

    public IReadOnlyList<ColdStartProbe> Probes { get; init; } = [];

    public required ColdStartSummary Summary { get; init; }
}
