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
                    : load.Stages.Count > 0 ? $"open model, {load.Stages.Count} stages" : $"open model, {load.Rate}";
                Out.MarkupLine($"[green]valid[/]: {Markup.Escape(workload.Name)} — {shape}, {DurationText.Format(load.Duration)} x {workload.Compare.Repeat} round(s), {load.Shards} shard(s).");

                // validate reads no stored data, so no calibration: the policy's assumed run-to-run noise stands in.
                DesignCheck.Report(Out, workload, calibration: null, baseline: null, parse.GetValue(strict), calibrationRead: false);
                return Task.FromResult(ExitCodes.Pass);
            },
            file, set, allowHost, alertsToLoopback, strict);
    }
}
