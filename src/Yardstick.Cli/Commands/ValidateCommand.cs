using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick validate &lt;file&gt;</c>: schema and semantic checks, without running anything, then what the comparison's
/// design can detect (<see cref="DesignCheck"/>; <c>--strict</c>: exit 2 when it can never decide a gated metric). A
/// <c>data.blob</c> dataset is looked up in the results storage account as planning does (<see cref="DatasetBlobs"/>):
/// missing, malformed, or lacking a column a request names → exit 2 naming <c>data.blob</c>; storage that does not answer
/// → a warning (the file itself is valid, and <c>run</c> checks the blob again when it plans).
/// </summary>
internal sealed class ValidateCommand(CliContext context) : CommandBase(context)
{
    /// <summary>How long validate waits for the results storage account to answer the <c>data.blob</c> lookup.</summary>
    internal static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(8);

    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON)." };
        var set = CommonOptions.Set();
        var allowHost = CommonOptions.AllowHost();
        var alertsToLoopback = CommonOptions.AlertsToLoopback();
        var strict = DesignCheck.Strict();
        var storage = CommonOptions.Storage();
        return Define(
            "validate",
            "Check a workload file (schema, semantics, secrets resolvable, target allowed) without running it.",
            async (parse, cancellationToken) =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    throw new InputException("file", $"workload file '{path.FullName}' does not exist.");
                }

                var workload = WorkloadLoader.LoadFile(path.FullName, parse.GetValue(set) ?? []);
                // The file is checked, not this machine's Azure access: `run` asks for --azure where a strategy needs it.
                var hostOptions = CliEnvironment.CreateHostOptions(new CliEnvironmentOptions { AllowedHosts = parse.GetValue(allowHost) ?? [], AzureAccess = true, AlertsToLoopback = parse.GetValue(alertsToLoopback) });
                RunPreflight.Check(workload, hostOptions);
                var load = workload.Load;
                Core.Replay.TraceSummary? trace = null;
                var shape = load.Model == LoadModel.Closed
                    ? $"closed model, {load.Concurrency} virtual users"
                    : load.Model == LoadModel.Replay ? ReplayShape(workload, path.DirectoryName, out trace)
                    : load.Stages.Count > 0 ? $"open model, {load.Stages.Count} stages" : $"open model, {load.Rate}";
                var duration = load.Model == LoadModel.Replay ? "" : $", {DurationText.Format(load.Duration)}";
                Out.MarkupLine($"[green]valid[/]: {Markup.Escape(workload.Name)} — {Markup.Escape(shape)}{duration} x {workload.Compare.Repeat} round(s), {load.Shards} shard(s).");

                if (workload.Data is { Blob: not null })
                {
                    await CheckBlobAsync(workload, trace, parse.GetValue(storage), hostOptions, cancellationToken);
                }

                // validate reads no calibration: the policy's assumed run-to-run noise stands in.
                DesignCheck.Report(Out, workload, calibration: null, baseline: null, parse.GetValue(strict), calibrationRead: false);
                return ExitCodes.Pass;
            },
            file, set, allowHost, alertsToLoopback, strict, storage);
    }

    /// <summary>
    /// Looks the <c>data.blob</c> up (and, when <c>yardstick data push</c> did not describe it, reads it once) with planning's
    /// own code, so the messages are the same. Reads only: nothing is created in the account. The lookup gets
    /// <see cref="LookupTimeout"/>: storage that does not answer by then (the SDK would retry for tens of seconds) is a
    /// warning, not a failure, since the file itself is valid.
    /// </summary>
    /// <param name="workload">The workload with a <c>data.blob</c>.</param>
    /// <param name="trace">A replay's trace file as validation described it (its holes are checked against the blob's
    /// columns, as planning will); null otherwise.</param>
    /// <param name="storageOption">--storage.</param>
    /// <param name="hostOptions">The CLI host's options.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    private async Task CheckBlobAsync(Workload workload, Core.Replay.TraceSummary? trace, string? storageOption, YardstickHostOptions hostOptions, CancellationToken cancellationToken)
    {
        LocalStorage? storage = null;
        try
        {
            storage = await LocalStorage.OpenAsync(storageOption, cancellationToken);
            var datasets = storage.Storage.Datasets;
            using (var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                lookup.CancelAfter(LookupTimeout);
                try
                {
                    await DatasetBlobs.CheckAsync(workload, datasets, hostOptions, lookup.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Warn($"the results storage account ({datasets.Location}) did not answer within {LookupTimeout.TotalSeconds:0} s");
                    return;
                }
            }

            // It answered: describe the blob as planning will (reading it once if push did not describe it).
            var dataset = await DatasetBlobs.DescribeAsync(workload, datasets, hostOptions, cancellationToken);
            if (trace is not null)
            {
                await TraceBlobs.CheckDataHolesAsync(workload, trace, null, datasets, hostOptions, cancellationToken);
            }

            Out.MarkupLine(Markup.Escape(
                $"data.blob {dataset.File}: {dataset.Rows} rows · {dataset.Bytes} B · sha256 {dataset.Sha256[..12]} · etag {dataset.ETag} ({datasets.Location})."));
        }
        catch (Exception e) when (e is not InputException and not OperationCanceledException)
        {
            Warn(HostFailure.What(e));
        }
        finally
        {
            if (storage is not null)
            {
                await storage.DisposeAsync();
            }
        }
    }

    private void Warn(string what) =>
        Out.MarkupLine("[yellow]warning[/]: " + Markup.Escape($"data.blob not checked: {what}; 'run' looks it up again when it plans."));

    /// <summary>A replay's shape: its trace file read (it was checked whole by validation), or the blob named.</summary>
    private static string ReplayShape(Workload workload, string? directory, out Core.Replay.TraceSummary? described)
    {
        var load = workload.Load;
        described = null;
        if (load.Trace?.File is null)
        {
            return $"replay of {load.Trace?.Blob} at speed ×{load.Speed:0.##} (the blob is read when a run is planned)";
        }

        var trace = Core.Replay.TraceFiles.DescribeFile(directory, load);
        described = trace;
        return $"replay of {trace.File}: {trace.WindowArrivals:N0} arrivals over {DurationText.Format(trace.ReplayDuration)} (speed ×{trace.Speed:0.##}), {trace.Endpoints.Count} endpoints, peak {trace.PeakPerSecond:N0}/s";
    }
}
