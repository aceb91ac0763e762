using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick validate &lt;file&gt;</c>: schema and semantic checks, without running anything, then what the comparison's
/// design can detect (<see cref="DesignCheck"/>; <c>--strict</c>: exit 2 when it can never decide a gated metric).
/// </summary>
internal sealed class ValidateCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON)." };
        var set = CommonOptions.Set();
        var allowHost = CommonOptions.AllowHost();
        var alertsToLoopback = CommonOptions.AlertsToLoopback();
        var strict = DesignCheck.Strict();
        return Define(
            "validate",
            "Check a workload file (schema, semantics, secrets resolvable, target allowed) without running it.",
            (parse, _) =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    throw new InputException("file", $"workload file '{path.FullName}' does not exist.");
                }

                var workload = WorkloadLoader.LoadFile(path.FullName, parse.GetValue(set) ?? []);
                // The file is checked, not this machine's Azure access: `run` asks for --azure where a strategy needs it.
                RunPreflight.Check(workload, CliEnvironment.CreateHostOptions(new CliEnvironmentOptions { AllowedHosts = parse.GetValue(allowHost) ?? [], AzureAccess = true, AlertsToLoopback = parse.GetValue(alertsToLoopback) }));
                var load = workload.Load;
                var shape = load.Model == LoadModel.Closed
                    ? $"closed model, {load.Concurrency} virtual users"
                    : load.Model == LoadModel.Replay ? ReplayShape(workload, path.DirectoryName)
                    : load.Stages.Count > 0 ? $"open model, {load.Stages.Count} stages" : $"open model, {load.Rate}";
                var duration = load.Model == LoadModel.Replay ? "" : $", {DurationText.Format(load.Duration)}";
                Out.MarkupLine($"[green]valid[/]: {Markup.Escape(workload.Name)} — {Markup.Escape(shape)}{duration} x {workload.Compare.Repeat} round(s), {load.Shards} shard(s).");

                // validate reads no stored data, so no calibration: the policy's assumed run-to-run noise stands in.
                DesignCheck.Report(Out, workload, calibration: null, baseline: null, parse.GetValue(strict), calibrationRead: false);
                return Task.FromResult(ExitCodes.Pass);
            },
            file, set, allowHost, alertsToLoopback, strict);
    }

    /// <summary>A replay's shape: its trace file read (it was checked whole by validation), or the blob named.</summary>
    private static string ReplayShape(Workload workload, string? directory)
    {
        var load = workload.Load;
        if (load.Trace?.File is null)
        {
            return $"replay of {load.Trace?.Blob} at speed ×{load.Speed:0.##} (the blob is read when a run is planned)";
        }

        var trace = Core.Replay.TraceFiles.DescribeFile(directory, load);
        return $"replay of {trace.File}: {trace.WindowArrivals:N0} arrivals over {DurationText.Format(trace.ReplayDuration)} (speed ×{trace.Speed:0.##}), {trace.Endpoints.Count} endpoints, peak {trace.PeakPerSecond:N0}/s";
    }
}
