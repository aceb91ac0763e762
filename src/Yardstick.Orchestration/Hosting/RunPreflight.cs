using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Faults;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Checks a validated workload against the host before anything is stored: no literal secrets, the target on
/// the allow-list (after resolving <c>${env:}</c> in the URL), local processes only where the host can start them.
/// Both the planning activity and the hosts' front doors (CLI, HTTP API) call it, so bad input is refused early
/// and nothing is half-written.
/// </summary>
public static class RunPreflight
{
    public static void Check(Workload workload, YardstickHostOptions options)
    {
        SecretHygiene.EnsureNoLiteralSecrets(workload);
        var url = SecretReferences.Resolve(workload.Target.Url, "target.url", options.Environment);
        options.TargetPolicy.EnsureUrlAllowed(url, "target.url");
        if (workload.ColdStart.Url is { } coldStartUrl)
        {
            options.TargetPolicy.EnsureUrlAllowed(SecretReferences.Resolve(coldStartUrl, "coldStart.url", options.Environment), "coldStart.url");
        }

        if (workload.Compare.Against is { } against)
        {
            // A paired gate's reference gets the same load as the target: it must be allowed like the target.
            options.TargetPolicy.EnsureUrlAllowed(against, "compare.against.url");
        }

        if (workload.Target.Azure is { } azure)
        {
            AzureTargetGuard.EnsureNotSelf(azure.ResourceId, options);
        }

        if (workload.Target.Process is not null && !options.AllowLocalProcesses)
        {
            throw new InputException("target.process", $"local target processes run on the local host only; the {options.Host} host cannot start them.");
        }

        CheckHostBounds(workload, options);
        CheckAlertDestinations(workload, options);
        CheckFaults(workload, options, url);

        if (workload.Cost?.PricingFile is not null && !options.AllowPricingFiles)
        {
            throw new InputException("cost.pricingFile", $"names a file on the worker's disk, which the {options.Host} host never reads for a workload; remove it (runs are priced with the catalog the app ships, or refresh that catalog and redeploy).");
        }

        if (workload.Data is { } data)
        {
            if (data.Blob is { } blob)
            {
                // Validation checked the shape already; checked again here because this is the host's own guard.
                DatasetBlobNames.BlobName(blob);
            }
            else if (!options.AllowDatasetFiles)
            {
                throw new InputException("data.file", $"names a file on the worker's disk, which the {options.Host} host never reads for a workload; upload the dataset to the results storage account (yardstick data push {data.File}) and name it with data.blob: datasets/<name>.");
            }
        }

        if (workload.Load is { Model: LoadModel.Replay, Trace: { } trace })
        {
            if (trace.Blob is { } traceBlob)
            {
                // Validation checked the shape already; checked again here because this is the host's own guard.
                Core.Replay.TraceFiles.BlobName(traceBlob);
            }
            else if (!options.AllowDatasetFiles)
            {
                throw new InputException("load.trace", $"names a file on the worker's disk, which the {options.Host} host never reads for a workload; upload the trace to the results storage account (yardstick data push {trace.File} --name traces/<name>.jsonl) and name it with load.trace: {{ blob: traces/<name>.jsonl }}.");
            }
        }

        if (workload.ColdStart.Strategy is ColdStartStrategy.Restart or ColdStartStrategy.AppSetting && !options.AzureAccess)
        {
            throw new InputException(
                "coldStart.strategy",
                $"'{(workload.ColdStart.Strategy == ColdStartStrategy.Restart ? "restart" : "appSetting")}' changes the Azure function app through ARM, which needs Azure access: run with --azure (DefaultAzureCredential: az login, or AZURE_* environment variables).");
        }

        // A local process target takes appSetting sweeps as environment variables; everything else is an ARM change.
        if (workload.Sweep is not null && workload.Target.Process is null && !options.AzureAccess)
        {
            throw new InputException(
                "sweep.parameter",
                $"sweeping '{workload.Sweep.Label}' changes the Azure function app through ARM, which needs Azure access: run with --azure (DefaultAzureCredential: az login, or AZURE_* environment variables).");
        }
    }

    /// <summary>
    /// A fault acts only on the run's own target: restart and appSetting on <c>target.azure</c> need the host's Azure access
    /// (a local <c>target.process</c> is refused above where the host cannot start processes); stall and fail call
    /// <c>/admin/…</c> on the target URL's origin, which must pass the allow-list like the target (checked again when sent).
    /// </summary>
    private static void CheckFaults(Workload workload, YardstickHostOptions options, string resolvedUrl)
    {
        for (var i = 0; i < workload.Faults.Count; i++)
        {
            var fault = workload.Faults[i];
            var field = $"faults[{i}].kind";
            switch (fault.Kind)
            {
                case FaultKind.Restart or FaultKind.AppSetting when workload.Target.Process is null && !options.AzureAccess:
                    throw new InputException(field, $"'{fault.KindName}' changes the Azure function app through ARM, which needs Azure access: run with --azure (DefaultAzureCredential: az login, or AZURE_* environment variables).");
                case FaultKind.Stall or FaultKind.Fail:
                    options.TargetPolicy.EnsureUrlAllowed(FaultAdmin.Url(resolvedUrl, fault), field);
                    break;
            }
        }
    }

    /// <summary>
    /// Alert URLs the host would refuse to send to (not https, a loopback, private, link-local or metadata literal) are
    /// refused before the run starts, naming the field and never the URL (Slack and Teams URLs are secrets). Names are
    /// resolved and checked again when sending (<see cref="Core.Alerts.AlertDestinations"/>).
    /// </summary>
    private static void CheckAlertDestinations(Workload workload, YardstickHostOptions options)
    {
        var send = workload.Alerts?.Send ?? [];
        for (var i = 0; i < send.Count; i++)
        {
            if (send[i].Url is not { } raw)
            {
                continue;
            }

            var field = $"alerts.send[{i}].url";
            if (options.AlertDestinations.Refusal(SecretReferences.Resolve(raw, field, options.Environment)) is { } refusal)
            {
                throw new InputException(field, $"alerts cannot be sent there: {refusal}.");
            }
        }
    }

    /// <summary>On a host that caps capacity steps, a capacity study may run this many searches' worth of them in all.</summary>
    public const int MaxCapacityStudySearches = 4;

    /// <summary>The host's own bounds on how much one run may do: sweep variants, and requests of the closed model.</summary>
    private static void CheckHostBounds(Workload workload, YardstickHostOptions options)
    {
        var variants = workload.Sweep?.Dimensions.Aggregate(1L, (product, d) => product * Math.Max(1, d.Values.Count)) ?? 1;
        if (options.MaxSweepVariants is { } maxVariants && variants > maxVariants)
        {
            var grid = workload.Sweep!.Grid.Count > 0;
            throw new InputException(grid ? "sweep.grid" : "sweep.values", grid
                ? $"{string.Join(" × ", workload.Sweep.Grid.Select(d => d.Values.Count))} = {variants} cells; the {options.Host} host runs at most {maxVariants} variants per run (split the grid into several runs)."
                : $"{variants} values; the {options.Host} host runs at most {maxVariants} per run (split them into several runs).");
        }

        if (workload.Capacity is { } capacity)
        {
            if (options.MaxCapacitySteps is { } maxSteps && capacity.MaxSteps > maxSteps)
            {
                throw new InputException("capacity.maxSteps", $"{capacity.MaxSteps} steps; the {options.Host} host runs at most {maxSteps} steps per capacity search.");
            }

            // A capacity study searches once per sweep variant: its steps add up across them.
            if (options.MaxCapacitySteps is { } perSearch && capacity.MaxSteps * variants > perSearch * MaxCapacityStudySearches)
            {
                throw new InputException("capacity.maxSteps", $"{capacity.MaxSteps} steps × {variants} sweep variants = {capacity.MaxSteps * variants} steps; the {options.Host} host runs at most {perSearch * MaxCapacityStudySearches} in one capacity study (fewer steps or variants, or several runs).");
            }

            if (options.MaxCapacityRate is { } maxRate && capacity.MaxRate is { } rate && rate.PerSecond > maxRate)
            {
                throw new InputException("capacity.maxRate", $"{rate} is above the {options.Host} host's cap of {maxRate:0}/s for a capacity search.");
            }
        }

        var load = workload.Load;
        if (!options.BoundClosedModel || load.Model != LoadModel.Closed)
        {
            return;
        }

        if (load.ThinkTime <= TimeSpan.Zero)
        {
            throw new InputException("load.thinkTime", $"the {options.Host} host needs a positive think time for the closed model (for example 100ms): without one, virtual users send as fast as the target answers and the run's requests have no bound.");
        }

        // Each virtual user sends at most one request per think time (plus the first), in every turn of every round.
        var perUser = Math.Floor((load.Warmup + load.Duration) / load.ThinkTime) + 1;
        var total = (load.Concurrency ?? 1) * perUser * Math.Max(1, workload.Compare.Repeat) * variants;
        if (total > LoadCaps.MaxTotalRequests)
        {
            throw new InputException("load.thinkTime", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the run could send up to {total:N0} requests (concurrency × (warm-up + duration) / think time × repeat × sweep variants), above the cap of {LoadCaps.MaxTotalRequests:N0}; raise thinkTime or lower concurrency or duration."));
        }
    }
}
