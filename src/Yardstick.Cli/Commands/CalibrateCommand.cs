using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick calibrate &lt;file&gt; --runs N</c>: N A/A runs of the same build, then the run-to-run noise per metric
/// (<see cref="NoiseCalibration"/>): CV, noise floor and a recommended margin, stored as the workload's calibration so later
/// analyses use it as their noise prior.
/// </summary>
/// <remarks>
/// The A/A runs are N separate, sequential runs (each with its own warm-up, connections and shard start), not one run
/// with <c>compare.repeat = N</c>: back-to-back rounds of one run share all of that and would understate the noise between
/// runs — the noise a single-run gate has to allow for. Each run's whole-run values and per-second windows are one A/A
/// sample. The floor and margin are stated for comparisons of <c>--runs-per-side</c> samples per side (default the
/// workload's <c>compare.repeat</c>, what its gates compare).
/// </remarks>
internal sealed class CalibrateCommand(CliContext context) : CommandBase(context)
{
    public const int MinRuns = 2;
    public const int MaxRuns = 50;
    public const string CalibrationTag = "calibration";

    public override Command Build()
    {
        var options = new WorkloadRunCliOptions();
        var runs = new Option<int>("--runs") { Description = $"A/A runs ({MinRuns}–{MaxRuns}; 10 gives the prior about ten degrees of freedom).", Required = true };
        var perSide = new Option<int?>("--runs-per-side") { Description = "State the floor and margin for comparisons of this many runs per side (default: the workload's compare.repeat)." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the calibration (as stored) to this path." };
        var noStore = new Option<bool>("--no-store") { Description = "Only report; do not store the calibration for later analyses." };
        return Define(
            "calibrate",
            "Run N A/A runs and report the run-to-run noise floor and a recommended margin per metric; stores the calibration as the workload's noise prior.",
            async (parse, cancellationToken) =>
            {
                var count = parse.GetValue(runs);
                if (count is < MinRuns or > MaxRuns)
                {
                    throw new InputException("--runs", $"must be between {MinRuns} and {MaxRuns}.");
                }

                var args = options.Read(parse, cancellationToken);
                var calibrationId = RunIds.Create(TimeProvider.System.GetUtcNow(), Guid.NewGuid());
                args = args with { Tags = new Dictionary<string, string>(args.Tags) { [CalibrationTag] = calibrationId } };
                var workload = RunExecution.Validate(args);
                var runsPerSide = parse.GetValue(perSide) ?? workload.Compare.Repeat;
                if (runsPerSide is < 1 or > 1000)
                {
                    throw new InputException("--runs-per-side", "must be between 1 and 1000.");
                }

                await using var env = await CliEnvironment.StartAsync(RunExecution.HostFor(args, workload), cancellationToken);
                var samples = new List<RunMetrics>(count);
                var reader = new RunArtifactReader(env.Artifacts);
                for (var i = 0; i < count; i++)
                {
                    Out.MarkupLine($"A/A run {i + 1} of {count}:");
                    FinishedRun finished;
                    try
                    {
                        finished = await new RunExecution(Context).RunAsync(env, args, workload, cancellationToken);
                    }
                    catch (RunFailedException e)
                    {
                        await Context.Error.WriteLineAsync($"yardstick: calibration stopped: {e.Message}");
                        return ExitCodes.RunFailed;
                    }

                    if (finished.Outcome.Status != RunStatus.Completed || await reader.ReadAsync(workload.Name, finished.Outcome.RunId, cancellationToken) is not { } run)
                    {
                        await Context.Error.WriteLineAsync($"yardstick: calibration stopped: run {finished.Outcome.RunId} is {finished.Outcome.Status.ToString().ToLowerInvariant()}; A/A runs must complete: {finished.Outcome.FailureReason}");
                        return ExitCodes.RunFailed;
                    }

                    samples.Add(new RunMetrics(run.RunId, RunMetricsFactory.RunValues(run.Summary), WindowSamples.From(run.Timeline)));
                }

                var result = NoiseCalibration.Estimate(samples, RunAnalyzer.Policy(workload, calibration: null), runsPerSide);
                var calibration = new StoredCalibration
                {
                    Workload = workload.Name,
                    SettingsHash = WorkloadFingerprint.SettingsHash(workload),
                    Environment = workload.Compare.Environment,
                    Repeat = workload.Compare.Repeat,
                    CreatedAt = TimeProvider.System.GetUtcNow(),
                    RunIds = samples.Select(s => s.RunId).ToList(),
                    Result = result,
                };
                Render(calibration);
                if (!parse.GetValue(noStore))
                {
                    await new CalibrationStore(env.Artifacts).SaveAsync(calibration, cancellationToken);
                    Out.MarkupLine($"Stored as the calibration of [bold]{Markup.Escape(workload.Name)}[/] (settings {calibration.SettingsHash}{(calibration.Environment is null ? "" : ", environment " + Markup.Escape(calibration.Environment))}): later analyses use it as their noise prior.");
                }

                if (parse.GetValue(json) is { } path)
                {
                    path.Directory?.Create();
                    await File.WriteAllBytesAsync(path.FullName, YardstickJson.ToUtf8(calibration, indented: true), cancellationToken);
                }

                return ExitCodes.Pass;
            },
            [.. options.All, runs, perSide, json, noStore]);
    }

    private void Render(StoredCalibration calibration)
    {
        var result = calibration.Result;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"noise of [bold]{Markup.Escape(calibration.Workload)}[/]: {result.Runs} A/A runs, comparisons of {result.RunsPerSide} per side, α {result.Alpha.ToString("0.###", CultureInfo.InvariantCulture)}");
        table.AddColumns("metric", "center", "run-to-run CV", "noise floor", "recommended margin");
        foreach (var m in result.Metrics)
        {
            var difference = m.Scale == IntervalScale.Difference;
            table.AddRow(
                Markup.Escape(m.Metric),
                Markup.Escape(VerdictView.Value(m.Metric, m.Center)),
                double.IsFinite(m.RunToRunCv) ? Pct(m.RunToRunCv) : "-",
                difference ? Pp(m.NoiseFloor) : Pct(m.NoiseFloor),
                difference ? Pp(m.RecommendedMargin) : Pct(m.RecommendedMargin));
        }

        Out.Write(table);
        foreach (var m in result.Metrics)
        {
            Out.WriteLine(m.Explanation);
        }

        if (result.Runs < 5)
        {
            Out.MarkupLine($"[yellow]{result.Runs} A/A runs leave {result.Runs - 1} degree{(result.Runs == 2 ? "" : "s")} of freedom, so the floors are wide; about 10 runs make a useful prior.[/]");
        }
    }

    // Floors from very few runs can be astronomically wide; beyond tenfold the exact figure says nothing more.
    private static string Pct(double fraction) =>
        fraction >= 10 ? "> 1000 %" : (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Pp(double fraction) =>
        fraction >= 1 ? "> 100 pp" : (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " pp";
}
