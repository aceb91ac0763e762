using System.Text;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>
/// <c>report.md</c>: a GitHub-flavoured Markdown summary sized for a pull-request comment or
/// <c>$GITHUB_STEP_SUMMARY</c> (about 50 lines at most): headline, verdict table, thresholds, key run numbers and a
/// link to the HTML report. Text from data is escaped, so a workload name or tag cannot break the layout.
/// </summary>
public static partial class MarkdownReport
{
    /// <summary>Threshold rows shown before the rest are summarised in one line (breaches first).</summary>
    public const int MaxThresholdRows = 10;

    /// <summary>Metric rows shown before the rest are summarised in one line.</summary>
    public const int MaxMetricRows = 10;

    /// <summary>Check rows shown (failing ones first); the rest are summed up in one row, all in the HTML report.</summary>
    public const int MaxCheckRows = 5;

    /// <summary>Sweep rows shown before the rest are summarised in one line (front and recommended first).</summary>
    public const int MaxVariantRows = 8;

    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Candidate;
        var verdict = run.Verdict;
        var md = new MarkdownBuilder();

        var outcome = ReportText.Outcome(run);
        md.Line($"## {OutcomeIcon(outcome)} Yardstick · {Escape(run.Workload)}: {ReportText.Overall(run)}");
        md.Blank();
        md.Line(StatusLine(run, outcome));
        md.Blank();

        var headline = run.Status is "failed" or "cancelled" && run.FailureReason is { Length: > 0 } reason
            ? $"Run {run.Status}: {reason}"
            : verdict?.Explanation;
        if (!string.IsNullOrWhiteSpace(headline))
        {
            md.Line("> " + Escape(headline));
            md.Blank();
        }

        if (verdict?.Drift is { } drift)
        {
            md.Line("> **drift** · " + Escape(drift.Explanation));
            md.Blank();
        }

        if (verdict is { Metrics.Count: > 0 })
        {
            md.Line($"| Metric | {(verdict.Reference is null ? "Baseline" : "Reference")} | Candidate | Change | Interval | Verdict |");
            md.Line("| --- | ---: | ---: | ---: | --- | --- |");
            foreach (var m in verdict.Metrics.Take(MaxMetricRows))
            {
                md.Line($"| {Cell(m.Metric)} | {ReportText.Value(m.Metric, m.Baseline)} | {ReportText.Value(m.Metric, m.Candidate)} | "
                    + $"{ReportText.Change(m)} | {ReportText.Interval(m)} | {KindIcon(m.Kind)} {Cell(m.Kind)} |");
            }

            if (verdict.Metrics.Count > MaxMetricRows)
            {
                md.Line($"| … {verdict.Metrics.Count - MaxMetricRows} more in the HTML report | | | | | |");
            }

            md.Blank();
            if (TailSamples(verdict) is { } tails)
            {
                md.Line(tails);
                md.Blank();
            }
        }

        if (ReportText.AdditionalRunsNeeded(verdict) is { } more && more > 0)
        {
            md.Line($"🟡 Inconclusive: about {more} more run{(more == 1 ? "" : "s")} per side would likely decide.");
            md.Blank();
        }

        if (verdict is { Thresholds.Count: > 0 })
        {
            md.Line("| Threshold | Actual | Result |");
            md.Line("| --- | ---: | --- |");
            var ordered = verdict.Thresholds.OrderBy(t => t.Passed).ToList();
            foreach (var t in ordered.Take(MaxThresholdRows))
            {
                md.Line($"| {Code(t.Threshold)} | {ReportText.Value(t.Metric, t.Actual)} | {(t.Passed ? "✅ pass" : "❌ fail")} |");
            }

            if (ordered.Count > MaxThresholdRows)
            {
                md.Line($"| … {ordered.Count - MaxThresholdRows} more (all passed) in the HTML report | | |");
            }

            md.Blank();
        }

        RunNumbers(md, report);
        if (run.Environment is { } environment)
        {
            md.Line($"🖥️ Environment: {Escape(environment.Digest())}");
            md.Blank();
            if (environment.TargetChanges.Count > 0)
            {
                md.Line($"⚠️ The target changed during the run: {Escape(string.Join("; ", environment.TargetChanges))}");
                md.Blank();
            }
        }

        if (verdict is { EnvironmentDifferences.Count: > 0 } changed)
        {
            md.Line($"⚠️ Measured in a different environment than the baseline: {Escape(string.Join("; ", changed.EnvironmentDifferences))}");
            md.Blank();
        }

        Requests(md, run);
        PairedRounds(md, run);
        Checks(md, run);
        Capacity(md, run);
        Faults(md, run);
        Sweep(md, run);

        if (report.HtmlReportLocation is { } location)
        {
            md.Blank();
            md.Line($"📄 [Full HTML report]({LinkTarget(location)}) · run {Code(run.RunId)}");
        }

        return md.ToString();
    }

    private static string StatusLine(RunSummary run, string outcome)
    {
        var parts = new List<string> { $"**{outcome.ToUpperInvariant()}**", $"run {Code(run.RunId)}", $"status **{Escape(run.Status)}**" };
        if (run.Verdict is { Thresholds.Count: > 0 } v)
        {
            parts.Add($"thresholds {v.Thresholds.Count(t => t.Passed)}/{v.Thresholds.Count} passed");
        }

        if (run.Verdict is { BaselineRunIds.Count: > 0 } withBaseline)
        {
            var extra = withBaseline.BaselineRunIds.Count - 1;
            parts.Add($"baseline {Code(withBaseline.BaselineRunIds[0])}{(extra > 0 ? $" (+{extra})" : "")}");
        }

        if (run.Tags.TryGetValue("commit", out var commit) && commit.Length > 0)
        {
            parts.Add($"commit {Code(commit)}");
        }

        if (run.SettingsKey != "default")
        {
            parts.Add($"settings {Code(run.SettingsKey)}");
        }

        return string.Join(" · ", parts);
    }

    private static void RunNumbers(MarkdownBuilder md, RunReport report)
    {
        var run = report.Candidate;
        md.Line($"- **Requests** {ReportText.Count(run.Requests)} in {ReportText.Seconds(run.DurationSeconds)} · "
            + $"**throughput** {ReportText.Throughput(run)} · shards {run.ShardsSucceeded}/{run.ShardsTotal}");
        if (ReportText.ShardStarts(run) is { } starts)
        {
            md.Line("- **Shard starts** " + Escape(starts));
        }

        if (run.Trace is { } trace)
        {
            md.Line("- **Trace** " + Escape(trace.Describe()) + $" (sha256 `{trace.Sha256}`)");
        }

        if (run.Dataset is { } dataset)
        {
            md.Line("- **Dataset** " + Escape(dataset.Describe()) + $" (sha256 `{dataset.Sha256}`)");
            foreach (var exhausted in dataset.Exhausted)
            {
                md.Line("  - " + Escape(exhausted));
            }
        }
        if (run.Requests > 0)
        {
            var l = run.LatencyMs;
            md.Line($"- **Latency** p50 {ReportText.Ms(l.P50)} · p90 {ReportText.Ms(l.P90)} · p95 {ReportText.Ms(l.P95)} · "
                + $"p99 {ReportText.Ms(l.P99)} · max {ReportText.Ms(l.Max)}");
        }

        var classes = ReportText.ErrorClasses(run.ErrorBreakdown).Where(c => c.Count > 0).Select(c => $"{c.Name} {ReportText.Count(c.Count)}").ToList();
        md.Line($"- **Errors** {ReportText.Count(run.Errors)} ({ReportText.Percent(run.ErrorRate * 100)})"
            + (classes.Count > 0 ? ": " + string.Join(", ", classes) : ""));
        var lag = run.SchedulingLagMs;
        md.Line($"- **Dropped arrivals** {ReportText.Count(run.DroppedArrivals)} · **scheduling lag** p50 {ReportText.Ms(lag.P50)}, "
            + $"p99 {ReportText.Ms(lag.P99)}, max {ReportText.Ms(lag.Max)}");

        if (report.ServerMetrics is { } serverMetrics)
        {
            md.Line("- **Server** " + Escape(ReportText.ServerMetrics(serverMetrics)) + (serverMetrics.Notes.Count > 0 ? " " + Escape(string.Join(" ", serverMetrics.Notes)) : ""));
        }

        if (run.Slo is { Objectives.Count: > 0 } slo)
        {
            md.Line($"- **SLO** ({SloText.Window(slo)} window): " + string.Join(" · ", slo.Objectives.Select(o =>
                $"{(o.Met ? "✅" : "❌")} {Code(o.Objective)} {SloText.Share(o.Attainment)} (objective {SloText.Share(o.Target)}, burn {SloText.Burn(o.BurnRate)})")));
        }

        if (report.ColdStart is { } cold)
        {
            md.Line($"- **Cold start** p50 {Opt(cold.ColdP50Ms)}, p90 {Opt(cold.ColdP90Ms)}, max {Opt(cold.ColdMaxMs)} · warm p50 {Opt(cold.WarmP50Ms)} · "
                + $"penalty {Opt(cold.PenaltyMs)} · {cold.ColdProbes}/{cold.TotalProbes} probes cold");
            foreach (var point in cold.Curve)
            {
                md.Line($"  - after {point.IdleText} idle: {point.Describe()}");
            }
        }

        if (report.Cost is { } cost)
        {
            md.Line($"- **Cost** ({Escape(cost.Plan)}) modeled {CostText(cost.Modeled)} · metered {CostText(cost.Metered)}"
                + (cost.ServerModeled is { } serverModeled ? $" · modeled from server durations {CostText(serverModeled)}" : "")
                + (run.Against is null ? "" : " · the candidate's requests only (the reference's are not priced)"));
            if (cost.Server is { } server)
            {
                md.Line($"- **Server (App Insights)** {ReportText.Count(server.Requests)} requests · duration p50 {Opt(server.DurationP50Ms)}, "
                    + $"p95 {Opt(server.DurationP95Ms)} · {ReportText.Count(server.Instances)} instance(s)");
            }
        }
    }

    /// <summary>
    /// A paired run: one row per pair, in time order, with when it began, which side went first and both sides' p50 and
    /// p95, so drift during the run reads down both columns at once (at most <see cref="MaxMetricRows"/> pairs).
    /// </summary>
    private static void PairedRounds(MarkdownBuilder md, RunSummary run)
    {
        var pairs = PairedTimeline.Of(run).GroupBy(p => p.Round).OrderBy(g => g.Min(p => p.StartSeconds)).ToList();
        if (pairs.Count == 0)
        {
            return;
        }

        md.Line("| Pair | Starts at | First | Reference p50 · p95 | Candidate p50 · p95 |");
        md.Line("| ---: | ---: | --- | ---: | ---: |");
        foreach (var pair in pairs.Take(MaxMetricRows))
        {
            var first = pair.MinBy(p => p.StartSeconds)!;
            md.Line($"| {pair.Key + 1} | {ReportText.Seconds(first.StartSeconds)} | {first.Side} | {Quantiles(pair, reference: true)} | {Quantiles(pair, reference: false)} |");
        }

        if (pairs.Count > MaxMetricRows)
        {
            md.Line($"| … {pairs.Count - MaxMetricRows} more pairs in the HTML report | | | | |");
        }

        md.Blank();

        static string Quantiles(IEnumerable<PairedRoundPoint> pair, bool reference) =>
            pair.FirstOrDefault(p => p.Reference == reference) is { } round
                ? $"{ReportText.Ms(round.LatencyMs.P50)} · {ReportText.Ms(round.LatencyMs.P95)}"
                : "n/a";
    }

    /// <summary>A mix: one row per named request (share, latency, errors), at most <see cref="MaxMetricRows"/>.</summary>
    private static void Requests(MarkdownBuilder md, RunSummary run)
    {
        if (run.PerRequest.Count == 0)
        {
            return;
        }

        md.Blank();
        md.Line("| Request | Share | Requests | p50 | p95 | p99 | Errors |");
        md.Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in run.PerRequest.Take(MaxMetricRows))
        {
            md.Line($"| {Code(r.Name)} | {ReportText.Percent(r.Share * 100)} | {ReportText.Count(r.Requests)} | {ReportText.Ms(r.LatencyMs.P50)} | "
                + $"{ReportText.Ms(r.LatencyMs.P95)} | {ReportText.Ms(r.LatencyMs.P99)} | {ReportText.Count(r.Errors)} ({ReportText.Percent(r.ErrorRate * 100)}) |");
        }

        if (run.PerRequest.Count > MaxMetricRows)
        {
            md.Line($"| … {run.PerRequest.Count - MaxMetricRows} more in the HTML report | | | | | | |");
        }
    }

    /// <summary>The response checks, failing ones first, at most <see cref="MaxCheckRows"/>.</summary>
    private static void Checks(MarkdownBuilder md, RunSummary run)
    {
        if (run.Checks.Count == 0)
        {
            return;
        }

        md.Blank();
        md.Line("| Check | Passed | Failed | Pass rate |");
        md.Line("| --- | ---: | ---: | ---: |");
        var ordered = run.Checks.OrderBy(c => c.Failed == 0).ToList();
        foreach (var c in ordered.Take(MaxCheckRows))
        {
            md.Line($"| {(c.Failed > 0 ? "❌" : "✅")} {Code(ReportText.CheckName(c))} | {ReportText.Count(c.Passed)} | {ReportText.Count(c.Failed)} | "
                + $"{(c.Passed + c.Failed == 0 ? "not run" : ReportText.Percent(c.PassRate * 100))} |");
        }

        if (ordered.Count > MaxCheckRows)
        {
            var rest = ordered.Skip(MaxCheckRows).ToList();
            var failing = rest.Count(c => c.Failed > 0);
            md.Line($"| … {rest.Count} more ({(failing == 0 ? "all passed" : $"{failing} failing")}) in the HTML report | | | |");
        }
    }

    /// <summary>A capacity search's answer and one row per step (rate, p99, errors, cost per 1M when priced, outcome).</summary>
    private static void Capacity(MarkdownBuilder md, RunSummary run)
    {
        if (run.Capacity is null && run.CapacityStudy is { } study)
        {
            md.Line($"**Capacity per setting:** {Escape(study.Explanation)}");
            md.Line("");
            md.Line("| Variant | Capacity | With uncertainty | Cost per 1M at capacity | Steps |");
            md.Line("| --- | ---: | ---: | ---: | ---: |");
            static string Rate(double? r) => r is { } v ? ReportText.Number(v, 1) + "/s" : "n/a";
            foreach (var variant in study.Variants)
            {
                var r = variant.Result;
                md.Line($"| {Escape(variant.Variant)} | {Rate(r?.MaxSustainableRate)} | {(r is null ? "n/a" : $"{Rate(r.ConfidentLower)} – {Rate(r.ConfidentUpper)}")} | "
                    + $"{(r?.Per1MRequestsAtCapacityUsd is { } usd ? ReportText.Usd(usd) : "n/a")} | {(r is null ? "not searched" : r.Steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} |");
            }

            return;
        }

        if (run.Capacity is not { } capacity)
        {
            return;
        }

        md.Blank();
        md.Line($"**Capacity:** {Escape(capacity.Explanation)}"
            + (capacity.Per1MRequestsAtCapacityUsd is { } atCapacity ? $" Cost per 1M requests at capacity: {ReportText.Usd(atCapacity)} (modeled)." : ""));
        md.Blank();
        md.Line("| Step | Rate | p99 | Errors | Cost per 1M | Outcome |");
        md.Line("| ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var step in capacity.Steps)
        {
            var m = step.Measurement;
            var outcome = step.Outcome switch
            {
                Core.Capacity.CapacityStepOutcome.Pass => "pass",
                Core.Capacity.CapacityStepOutcome.Fail => "**fail**",
                Core.Capacity.CapacityStepOutcome.AutoStop => "**autostop**",
                _ => "generator-limited",
            };
            md.Line($"| {step.Index} | {ReportText.Number(m.Rate, 1)}/s | {(m.Latency.TryGetValue("p99", out var p99) ? ReportText.Ms(p99) : "n/a")} | "
                + $"{ReportText.Count(m.Errors)} | {(step.Per1MRequestsUsd is { } usd ? ReportText.Usd(usd) : "n/a")} | {outcome}{(step.Borderline ? " (borderline)" : "")}"
                + $"{(step.Breaches.Count > 0 ? " " + Escape(string.Join("; ", step.Breaches)) : "")} |");
        }
    }

    /// <summary>One row per sweep value (two or more): p95, error rate, cost per 1M, front and recommendation.</summary>
    private static void Sweep(MarkdownBuilder md, RunSummary run)
    {
        if (run.Variants.Count < 2)
        {
            return;
        }

        md.Blank();
        md.Line($"**Sweep** of {Code(run.SweepParameter ?? "settings")} (★ Pareto front, lower is better):");
        md.Blank();
        md.Line("| Value | p95 | p99 | Error rate | Cost per 1M | |");
        md.Line("| --- | ---: | ---: | ---: | ---: | --- |");
        var shown = run.Variants.OrderByDescending(v => v.Recommended).ThenByDescending(v => v.OnParetoFront).Take(MaxVariantRows).ToHashSet();
        foreach (var v in run.Variants.Where(shown.Contains))
        {
            var measured = v.Requests > 0;
            md.Line($"| {Code(v.Variant)} | {(measured ? ReportText.Ms(v.LatencyMs.P95) : "n/a")} | {(measured ? ReportText.Ms(v.LatencyMs.P99) : "n/a")} | "
                + $"{(measured ? ReportText.Percent(v.ErrorRate * 100) : "n/a")} | {(v.Per1MRequestsUsd is { } usd ? ReportText.Usd(usd) : "n/a")} | "
                + $"{(v.OnParetoFront ? "★" : "")}{(v.Recommended ? " **recommended**" : "")} |");
        }

        if (run.Variants.Count > MaxVariantRows)
        {
            md.Line($"| … {run.Variants.Count - MaxVariantRows} more in the HTML report | | | | | |");
        }
    }

    private static string CostText(CostFigure? figure)
    {
        if (figure is null)
        {
            return "n/a";
        }

        var text = $"{ReportText.Usd(figure.PerMillion)} per 1M requests";
        if (figure.CiLow is { } low && figure.CiHigh is { } high)
        {
            text += $" ({ReportText.Usd(low * 1_000_000)} … {ReportText.Usd(high * 1_000_000)})";
        }

        return text;
    }

    private static string Opt(double? ms) => ms is { } v ? ReportText.Ms(v) : "n/a";

    private static string OutcomeIcon(string outcome) => outcome switch
    {
        "pass" => "✅",
        "fail" => "❌",
        ReportText.Inconclusive => "🟡",
        _ => "💥",
    };

    private static string KindIcon(string kind) => kind switch
    {
        ReportText.Regression => "🔴",
        ReportText.Improvement => "🟢",
        ReportText.Equivalent => "⚪",
        ReportText.Inconclusive => "🟡",
        _ => "➖",
    };

    /// <summary>
    /// Escapes text from data: every ASCII punctuation character Markdown might act on gets a backslash (CommonMark
    /// makes any escaped punctuation literal, including <c>|</c> in GFM tables and <c>&lt;</c> that would open HTML).
    /// Line breaks become spaces so a value stays on its line.
    /// </summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '<' or '>' or '(' or ')' or '#' or '+' or '!' or '|' or '~' or '&' or '"':
                    sb.Append('\\').Append(c);
                    break;
                case '\r' or '\n' or '\t':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The effective sample size behind each gated quantile (fewest requests beyond it in a compared run), or null.</summary>
    internal static string? TailSamples(VerdictSummary verdict)
    {
        var tails = verdict.Metrics.Where(m => m.TailSamples is not null).Select(m => $"{Cell(m.Metric)} {m.TailSamples!.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}").ToList();
        return tails.Count == 0 ? null : $"🔢 Tail samples behind each quantile (fewest in a compared run): {string.Join(", ", tails)}.";
    }

    private static string Cell(string? text) => Escape(text);

    /// <summary>A code span; text with backticks, pipes or line breaks falls back to escaped plain text.</summary>
    private static string Code(string text) =>
        text.AsSpan().IndexOfAny("`|\r\n") >= 0 || text.Length == 0 ? Escape(text) : "`" + text + "`";

    /// <summary>Percent-encodes what would end or break a Markdown link destination.</summary>
    private static string LinkTarget(string url)
    {
        var sb = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            sb.Append(c is ' ' or '(' or ')' or '<' or '>' or '"' or '\\' or '`' || char.IsControl(c) ? $"%{(int)c:X2}" : c.ToString());
        }

        return sb.ToString();
    }

    private sealed class MarkdownBuilder
    {
        private readonly StringBuilder _sb = new();

        public void Line(string line) => _sb.Append(line).Append('\n');

        public void Blank() => _sb.Append('\n');

        public override string ToString() => _sb.ToString();
    }
}
