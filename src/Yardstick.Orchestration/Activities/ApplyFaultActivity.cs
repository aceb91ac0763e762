using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Faults;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Sets off one fault of a fault run while the measured shards run, then probes the target until its first 2xx (the
/// cold-start prober: the target's request, fresh connection each try) to time the first success at request level.
/// <list type="bullet">
/// <item><c>restart</c>: a local <c>target.process</c> is killed and started again (<see cref="ILocalTargets.RestartAsync"/>);
/// an Azure app restarted through ARM (<see cref="ITargetControl.RestartAsync"/>).</item>
/// <item><c>appSetting</c>: records the setting's value first (the sweep's <see cref="OriginalSettings"/> record, so
/// <see cref="RestoreSettingsActivity"/> puts it back), then writes the fault's value; the orchestrator restores it after
/// <c>for</c>, and again when the run ends, whatever happened.</item>
/// <item><c>stall</c>, <c>fail</c>: <c>POST /admin/…</c> on the target URL's origin (<see cref="FaultAdmin"/>), allow-list checked.</item>
/// </list>
/// A fault that cannot be set off is a result (<see cref="AppliedFault.Failure"/>), not a failed run. Records what it did in
/// the run's <c>faults/</c> blobs.
/// </summary>
/// <remarks>
/// Not retried (the orchestrator calls it without a retry policy): a fault set off twice, or late, would measure something
/// else. A second delivery of the same task finds its record and returns it without acting again.
/// </remarks>
public sealed class ApplyFaultActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<ApplyFaultActivity> logger,
    ILocalTargets? localTargets = null,
    ITargetControl? targetControl = null) : TaskActivity<FaultTask, AppliedFault>
{
    /// <summary>The longest the activity waits for a fault's due time when it starts early.</summary>
    public static readonly TimeSpan MaxEarlyWait = TimeSpan.FromSeconds(10);

    /// <summary>How long the probe waits for a 2xx beyond the fault's own length.</summary>
    public static readonly TimeSpan ProbeGrace = TimeSpan.FromSeconds(30);

    public override async Task<AppliedFault> RunAsync(TaskActivityContext context, FaultTask input)
    {
        var cancellationToken = options.Shutdown;
        if (await artifacts.GetAsync(input.Workload, input.RunId, input.RecordName, cancellationToken) is { } recorded)
        {
            return YardstickJson.Deserialize<AppliedFault>(recorded);
        }

        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var workload = stored.Workload;
        var fault = workload.Faults.ElementAtOrDefault(input.Index)
            ?? throw new InputException("faults", $"run {input.RunId} has no faults[{input.Index}].");
        var request = SecretReferences.ResolveTemplate(ShardPlanner.BuildRequest(workload.Target), options.Environment);
        options.TargetPolicy.EnsureUrlAllowed(request.Url, "target.url");
        var result = new AppliedFault
        {
            Index = input.Index,
            Kind = fault.KindName,
            Description = fault.Describe(),
            PlannedAt = fault.At,
            For = fault.For,
        };

        // The durable timer brings the activity close to the due time; whatever is left is waited here on the wall clock
        // (as shards wait for their common start), bounded so a clock error cannot hold the fault for long.
        var early = input.DueAt is { } due ? due - time.GetUtcNow() : TimeSpan.Zero;
        if (early > TimeSpan.Zero)
        {
            await Task.Delay(early < MaxEarlyWait ? early : MaxEarlyWait, time, cancellationToken);
        }

        var appliedAt = time.GetUtcNow();
        var timedFrom = Stopwatch.GetTimestamp();
        try
        {
            await SetOffAsync(input, stored, fault, request, cancellationToken);
        }
        catch (Exception e) when (e is InputException or HttpRequestException or InvalidOperationException or FaultNotAppliedException)
        {
            result = result with { Failure = e is InputException bad ? $"{bad.Field}: {e.Message}" : e.Message };
            Log.FaultNotApplied(logger, input.RunId, input.Index, fault.KindName, e.Message);
            await RecordAsync(input, result, cancellationToken);
            return result;
        }

        var probe = await ColdStartProber.ProbeAsync(
            request,
            new TransportOptions { RequestTimeout = workload.Load.Timeout, MaxConnections = 1, Policy = options.TargetPolicy },
            new ProbeOptions { Timeout = (fault.For ?? TimeSpan.Zero) + ProbeGrace, WarmRequests = 0 },
            input.Index,
            appliedAt,
            timedFrom,
            abortReason: null,
            time,
            cancellationToken);
        result = result with { AppliedAt = appliedAt, TimeToFirstSuccessMs = probe.TimeToFirstSuccessMs, ProbeFailure = probe.Failure };
        Log.FaultApplied(logger, input.RunId, input.Index, result.Description, probe.TimeToFirstSuccessMs ?? -1);
        await RecordAsync(input, result, cancellationToken);
        return result;
    }

    private async Task SetOffAsync(FaultTask input, StoredPlan stored, FaultSpec fault, RequestTemplate request, CancellationToken cancellationToken)
    {
        var workload = stored.Workload;
        var field = $"faults[{input.Index}].kind";
        switch (fault.Kind)
        {
            case FaultKind.Restart when workload.Target.Process is { } process:
                var local = localTargets ?? throw new InputException(field, "this host cannot restart local target processes.");
                await local.RestartAsync(input.RunId, process, new Dictionary<string, string>(), process.ReadyUrl ?? workload.Target.Url, stored.WorkloadDirectory, cancellationToken);
                break;
            case FaultKind.Restart:
                await Control(field).RestartAsync(ResourceId(workload, field), cancellationToken);
                break;
            case FaultKind.AppSetting:
                var control = Control(field);
                var resourceId = ResourceId(workload, field);
                var parameter = TargetSetting.AppSettingPrefix + fault.Name;
                if (ReservedAppSettings.IsReserved(fault.Name ?? ""))
                {
                    // Validation refuses these; checked again because this is the step that writes.
                    throw new InputException($"faults[{input.Index}].name", $"'{fault.Name}' may not be changed by a fault: {ReservedAppSettings.Rule}.");
                }

                await RecordOriginalsAsync(input, workload, resourceId, control, cancellationToken);
                await control.ApplySettingAsync(resourceId, parameter, fault.Value ?? "", cancellationToken);
                break;
            default:
                await ToggleAsync(FaultAdmin.Url(request.Url, fault), field, request, cancellationToken);
                break;
        }
    }

    /// <summary>One <c>POST /admin/…</c> on the target's origin; anything but 2xx means the fault was not set off.</summary>
    private async Task ToggleAsync(string url, string field, RequestTemplate target, CancellationToken cancellationToken)
    {
        options.TargetPolicy.EnsureUrlAllowed(url, field);
        var toggle = new RequestTemplate
        {
            Method = "POST",
            Url = url,
            HttpVersion = target.HttpVersion,
            Transport = TransportKind.Handler,
            InsecureSkipTlsVerify = target.InsecureSkipTlsVerify,
        };
        await using var client = HttpTransportFactory.Create(toggle, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(10), MaxConnections = 1, Policy = options.TargetPolicy });
        var connection = client.CreateConnection();
        ExchangeResult answer;
        await using (connection)
        {
            answer = await connection.ExchangeAsync(cancellationToken);
        }

        if (answer.Outcome != ExchangeOutcome.Response || answer.StatusCode is < 200 or >= 300)
        {
            var what = answer.Outcome == ExchangeOutcome.Response ? $"HTTP {answer.StatusCode}" : answer.Error ?? answer.Outcome.ToString();
            var hint = answer.StatusCode == 404 ? " (start the sample target with --admin, or set YARDSTICK_SAMPLE_ADMIN=1)" : "";
            throw new FaultNotAppliedException($"POST {Redaction.RedactUrl(url)} answered {what}{hint}");
        }
    }

    /// <summary>Every appSetting fault's setting as it is now, written once (a retry or a later fault keeps the first record).</summary>
    private async Task RecordOriginalsAsync(FaultTask input, Workload workload, string resourceId, ITargetControl control, CancellationToken cancellationToken)
    {
        if (await artifacts.GetAsync(input.Workload, input.RunId, OriginalSettings.BlobName, cancellationToken) is not null)
        {
            return;
        }

        var settings = new List<OriginalSetting>();
        foreach (var name in workload.Faults.Where(f => f.Kind == FaultKind.AppSetting).Select(f => f.Name!).Distinct(StringComparer.Ordinal))
        {
            var parameter = TargetSetting.AppSettingPrefix + name;
            settings.Add(new OriginalSetting { Parameter = parameter, Value = await control.ReadSettingAsync(resourceId, parameter, cancellationToken), ReadAt = time.GetUtcNow() });
        }

        var record = new OriginalSettings { ResourceId = resourceId, Settings = settings };
        await artifacts.PutAsync(input.Workload, input.RunId, OriginalSettings.BlobName, YardstickJson.ToUtf8(record, indented: true), "application/json", cancellationToken);
    }

    private ITargetControl Control(string field) =>
        targetControl ?? throw new InputException(field, $"this {options.Host} host has no Azure access (ARM) to change the app; run the CLI with --azure.");

    private static string ResourceId(Workload workload, string field) =>
        workload.Target.Azure?.ResourceId ?? throw new InputException(field, "needs target.azure.resourceId.");

    private Task RecordAsync(FaultTask input, AppliedFault result, CancellationToken cancellationToken) =>
        artifacts.PutAsync(input.Workload, input.RunId, input.RecordName, YardstickJson.ToUtf8(result, indented: true), "application/json", cancellationToken);
}

/// <summary>The target refused or did not answer a fault's admin toggle.</summary>
public sealed class FaultNotAppliedException(string message) : Exception(message);
