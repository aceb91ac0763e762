using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Alerts;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Alerts;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Reports;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// After the verdict: sends each alert condition the run raised (<see cref="AlertMessages.Firing"/>) to every channel of
/// the workload's <c>alerts:</c> (or the host's defaults), exactly once per run, condition and channel, and writes the
/// outcome of each to the run's <c>alerts.json</c>.
/// </summary>
/// <remarks>
/// Idempotent across activity retries, replays and resumed runs through <see cref="IAlertDeliveryStore"/>: an alert is
/// first claimed (insert-if-absent of its <c>Sending</c> row), then sent, then marked <c>Sent</c> or <c>Failed</c>
/// with a replace conditional on the claim, so a repeated attempt finds the final row and sends nothing; an attempt that
/// finds a fresh <c>Sending</c> claim (a duplicate execution alongside) waits for its outcome. Only an attempt that dies
/// between sending and marking leaves <c>Sending</c>; once that claim is older than <see cref="SendingLease"/>, the next
/// attempt takes the row over (conditionally, so one attempt at a time) and sends again: the one window where a
/// receiver can see an alert twice. A silence window
/// covering the time of the claim (the workload's <c>alerts.silence</c>, or one stored by <c>yardstick alerts silence</c>)
/// records <c>Suppressed</c> instead. Delivery failures are recorded, never thrown:
/// alerts must not fail a run.
/// </remarks>
public sealed class SendAlertsActivity(
    IArtifactStore artifacts,
    IAlertDeliveryStore store,
    PlanReader plans,
    AlertSender sender,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<SendAlertsActivity> logger) : TaskActivity<AlertRequest, IReadOnlyList<AlertResult>>
{
    public const string AlertsBlobName = "alerts.json";

    /// <summary>
    /// How long a <c>Sending</c> claim stands for a live attempt: longer than the longest send (GitHub: a comment and an
    /// issue, 3 attempts of 30 s each, 6 s of waits), so only a dead attempt's claim is ever taken over.
    /// </summary>
    public static readonly TimeSpan SendingLease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    public override async Task<IReadOnlyList<AlertResult>> RunAsync(TaskActivityContext context, AlertRequest input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var alerts = stored.Workload.Alerts ?? options.DefaultAlerts;
        if (alerts is null)
        {
            return [];
        }

        var firing = AlertMessages.Firing(input.Outcome, alerts.On);
        if (firing.Count == 0 || alerts.Send.Count == 0)
        {
            return [];
        }

        var verdict = await ReadVerdictAsync(input, cancellationToken);

        // The workload's windows and those stored by `yardstick alerts silence`.
        var silences = alerts.Silence.Concat(await store.ListSilencesAsync(input.Workload, time.GetUtcNow(), cancellationToken)).ToList();
        var field = stored.Workload.Alerts is null ? "YARDSTICK_ALERTS" : "alerts.send";
        var results = new List<AlertResult>();
        foreach (var condition in firing)
        {
            var message = AlertMessages.Build(condition, input.Outcome, verdict, options.PublicUrl);
            for (var i = 0; i < alerts.Send.Count; i++)
            {
                var row = await DeliverOnceAsync(silences, alerts.Send[i], $"{field}[{i}]", alerts.Send[i].Key(i), message, cancellationToken);
                results.Add(new AlertResult(row.Condition, row.Channel, row.State.ToString().ToLowerInvariant(), row.Detail));
            }
        }

        await artifacts.PutAsync(input.Workload, input.RunId, AlertsBlobName, YardstickJson.ToUtf8(results, indented: true), "application/json", cancellationToken);
        await RecordInSummaryAsync(input, results, cancellationToken);
        return results;
    }

    private async Task<AlertDelivery> DeliverOnceAsync(IReadOnlyList<SilenceWindow> silences, AlertChannelSpec channel, string field, string channelKey, AlertMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fresh = new AlertDelivery
        {
            RunId = message.RunId,
            Key = $"{message.ConditionName}-{channelKey}",
            Workload = message.Workload,
            Condition = message.ConditionName,
            Channel = channelKey,
            State = AlertDeliveryState.Sending,
            Claims = 1,
            UpdatedAt = now,
        };

        var claim = await ClaimAsync(fresh, silences.FirstOrDefault(w => w.Covers(now)), cancellationToken);
        if (claim.IsFinal || claim.ETag is null)
        {
            return claim;
        }

        var result = await sender.SendAsync(channel, field, message, cancellationToken);
        var final = claim with
        {
            State = result.Delivered ? AlertDeliveryState.Sent : AlertDeliveryState.Failed,
            Attempts = result.Attempts,
            Detail = result.Detail,
            UpdatedAt = time.GetUtcNow(),
        };
        if (result.Delivered)
        {
            Log.AlertSent(logger, message.RunId, message.ConditionName, channelKey, result.Detail);
        }
        else
        {
            Log.AlertFailed(logger, message.RunId, message.ConditionName, channelKey, result.Detail);
        }

        // Conditional on the claim: if another attempt took the row over meanwhile, its outcome stands.
        return await store.TryReplaceAsync(final, cancellationToken) ?? await store.GetAsync(final.RunId, final.Key, cancellationToken) ?? final;
    }

    /// <summary>The row this attempt may send under (state <c>Sending</c>, with its ETag), or the final row another attempt wrote.</summary>
    private async Task<AlertDelivery> ClaimAsync(AlertDelivery fresh, SilenceWindow? silence, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(fresh.RunId, fresh.Key, cancellationToken);
        if (existing is null)
        {
            var first = silence is null
                ? fresh
                : fresh with { State = AlertDeliveryState.Suppressed, Detail = $"silenced {silence.From:u} .. {silence.To:u}: {silence.Reason}" };
            if (await store.TryAddAsync(first, cancellationToken) is { } added)
            {
                if (silence is not null)
                {
                    Log.AlertSuppressed(logger, fresh.RunId, fresh.Condition, fresh.Channel, silence.Reason);
                }

                return added;
            }

            existing = await store.GetAsync(fresh.RunId, fresh.Key, cancellationToken) ?? fresh;
        }

        // Another attempt holds a fresh claim (a duplicate execution running alongside this one): wait for its outcome
        // until the claim is older than any send can take, then treat that attempt as dead.
        while (!existing.IsFinal && time.GetUtcNow() - existing.UpdatedAt < SendingLease)
        {
            await Task.Delay(ClaimPoll, time, cancellationToken);
            existing = await store.GetAsync(fresh.RunId, fresh.Key, cancellationToken) ?? existing;
        }

        if (existing.IsFinal)
        {
            return existing;
        }

        // Left Sending by an attempt that died: take it over; if that fails, another attempt took it first.
        Log.AlertTakenOver(logger, fresh.RunId, fresh.Condition, fresh.Channel, existing.Claims);
        return await store.TryReplaceAsync(existing with { Claims = existing.Claims + 1, UpdatedAt = fresh.UpdatedAt }, cancellationToken)
            ?? (await store.GetAsync(fresh.RunId, fresh.Key, cancellationToken) ?? existing) with { ETag = null };
    }

    /// <summary>The same list in <c>summary.json</c>'s <c>alerts</c> section (an overwrite: repeating it changes nothing).</summary>
    private async Task RecordInSummaryAsync(AlertRequest input, IReadOnlyList<AlertResult> results, CancellationToken cancellationToken)
    {
        if (await artifacts.GetAsync(input.Workload, input.RunId, ReportFormats.SummaryBlobName, cancellationToken) is not { } bytes)
        {
            return; // the run failed before persisting: alerts.json alone records them
        }

        var summary = YardstickJson.Deserialize<RunSummary>(bytes) with
        {
            Alerts = results.Select(r => new AlertSummary(r.Condition, r.Channel, r.State, r.Detail)).ToList(),
        };
        await artifacts.PutAsync(input.Workload, input.RunId, ReportFormats.SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true), "application/json", cancellationToken);
    }

    private async Task<VerdictSummary?> ReadVerdictAsync(AlertRequest input, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(input.Workload, input.RunId, ReportFormats.SummaryBlobName, cancellationToken);
        return bytes is null ? null : YardstickJson.Deserialize<RunSummary>(bytes).Verdict;
    }
}
