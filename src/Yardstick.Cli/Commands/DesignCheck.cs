using System.CommandLine;
using Spectre.Console;
using Yardstick.Core;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// What a workload's comparison can detect (<see cref="ComparisonDesign"/>), printed by <c>validate</c> and at the start
/// of <c>run</c> and <c>gate</c>: a metric the design can never decide, and the smallest shift each gated metric could be
/// called a regression at. <c>--strict</c> turns "cannot decide" into exit 2 before anything runs.
/// </summary>
internal static class DesignCheck
{
    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Exit 2 before running when the comparison's design cannot decide a gated metric (runs too short to resample, rounds without windows, a per-run metric with unknown noise, a quantile below compare.minTailSamples).",
    };

    /// <summary>Prints the design's lines; with <paramref name="strict"/>, throws when a gated metric cannot be decided.</summary>
    /// <param name="console">Where the lines go.</param>
    /// <param name="workload">The validated workload (overrides applied).</param>
    /// <param name="calibration">The stored calibration that applies to it, or null (the policy's assumed noise then).</param>
    /// <param name="baseline"><c>--baseline</c> (a mode or a run id), or null for the workload's <c>compare.baseline</c>.</param>
    /// <param name="strict"><c>--strict</c>.</param>
    /// <param name="calibrationRead">False where no stored calibration could be looked up (validate, a remote gate).</param>
    /// <exception cref="InputException">With <paramref name="strict"/>, naming the metrics that cannot be decided.</exception>
    public static void Report(IAnsiConsole console, Workload workload, StoredCalibration? calibration, string? baseline, bool strict, bool calibrationRead = true)
    {
        if (workload.Load is { Model: LoadModel.Replay } replay && replay.Duration == TimeSpan.Zero)
        {
            // A replay lasts its trace's (windowed) span ÷ speed: read from the file here; a blob's when the run is planned.
            if (replay.Trace?.File is null)
            {
                console.MarkupLine("design: a replay of a blob trace is assessed once its length is known (when the run is planned).");
                return;
            }

            workload = workload with { Load = replay with { Duration = Core.Replay.TraceFiles.DescribeFile(workload.SourceDirectory, replay).ReplayDuration } };
        }

        var policy = RunAnalyzer.Policy(workload, calibration);
        var plan = ComparisonPlan.From(workload, baseline);
        var metrics = ComparisonDesign.Assess(plan, policy);
        var undecidable = metrics.Where(m => !m.CanDecide).Select(m => m.Metric).ToList();
        foreach (var line in ComparisonDesign.Describe(plan, policy, metrics, calibrationRead))
        {
            var cannot = undecidable.Count > 0 && line.Contains("cannot decide", StringComparison.Ordinal);
            console.MarkupLine((cannot ? "[yellow]design[/]: " : "design: ") + Markup.Escape(line));
        }

        if (strict && undecidable.Count > 0)
        {
            throw new InputException("--strict", $"this comparison can never decide {string.Join(", ", undecidable)} (see the design lines above); change load.duration, load.rate or compare.repeat, or drop --strict.");
        }
    }
}
