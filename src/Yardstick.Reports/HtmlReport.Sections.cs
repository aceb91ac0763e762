using System.Text;

namespace Yardstick.Reports;

/// <summary>The HTML report's optional sections (cold start, cost) and the run facts.</summary>
public static partial class HtmlReport
{
    private static void ColdStart(StringBuilder html, ColdStartView? cold)
    {
        if (cold is null)
        {
            return;
        }

        html.Append("<section id=\"cold-start\">\n<h2>Cold start</h2>\n<div class=\"tiles\">\n");
        Tile(html, "Cold p50", Ms(cold.ColdP50Ms));
        Tile(html, "Cold p90", Ms(cold.ColdP90Ms));
        Tile(html, "Cold max", Ms(cold.ColdMaxMs));
        Tile(html, "Warm p50", Ms(cold.WarmP50Ms));
        Tile(html, "Cold-start penalty", Ms(cold.PenaltyMs));
        Tile(html, "Probes", $"{cold.ColdProbes} cold · {cold.WarmProbes} warm" + (cold.UnknownProbes > 0 ? $" · {cold.UnknownProbes} unknown" : ""));
        html.Append("</div>\n");
        if (cold.Strategy.Length > 0)
        {
            html.Append("<p class=\"note\">Cold starts forced by <code>").Append(E(cold.Strategy))
                .Append("</code>; each probe is classified by the identity of the instance that served it.</p>\n");
        }

        if (cold.Curve.Count > 0)
        {
            html.Append("<h3>Eviction curve</h3>\n<p class=\"note\">After each idle time, the share of probes that found no warm instance, ")
                .Append("with its 95 % Wilson interval, and what the first request waited.</p>\n")
                .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"num\">Idle time</th><th class=\"num\">Cold</th>")
                .Append("<th class=\"num\">Cold share (95 % CI)</th><th class=\"num\">First request p50</th><th class=\"num\">Cold p50</th></tr></thead>\n<tbody>\n");
            foreach (var point in cold.Curve)
            {
                html.Append("<tr>");
                Num(html, point.IdleText);
                Num(html, $"{point.Cold} of {point.Cold + point.Warm}" + (point.Unknown > 0 ? $" ({point.Unknown} unknown)" : ""));
                Num(html, point.ColdShare is { } share
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{share * 100:0} % ({point.ColdShareLow * 100:0}–{point.ColdShareHigh * 100:0} %)")
                    : "n/a");
                Num(html, Ms(point.FirstP50Ms));
                Num(html, Ms(point.ColdP50Ms));
                html.Append("</tr>\n");
            }

            html.Append("</tbody></table></div>\n");
        }

        if (cold.Probes.Count > 0)
        {
            html.Append("<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"num\">Probe</th><th>Class</th><th class=\"num\">First request</th>")
                .Append("<th class=\"num\">Warm p50</th><th>Instance</th><th class=\"num\">Status</th><th>Note</th></tr></thead>\n<tbody>\n");
            foreach (var probe in cold.Probes)
            {
                html.Append("<tr>");
                Num(html, probe.Probe.ToString(System.Globalization.CultureInfo.InvariantCulture));
                html.Append("<td>").Append(E(probe.Classification)).Append("</td>");
                Num(html, Ms(probe.FirstRequestMs));
                Num(html, Ms(probe.WarmP50Ms));
                html.Append("<td><code>").Append(E(probe.InstanceId ?? "n/a")).Append("</code></td>");
                Num(html, probe.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a");
                html.Append("<td class=\"explanation\">").Append(E(probe.Note)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table></div>\n");
        }

        html.Append("</section>\n");
    }

    private static void Cost(StringBuilder html, CostView? cost)
    {
        if (cost is null)
        {
            return;
        }

        html.Append("<section id=\"cost\">\n<h2>Cost per request</h2>\n<p>Plan <code>").Append(E(cost.Plan)).Append("</code>");
        if (cost.Region is { Length: > 0 })
        {
            html.Append(" in <code>").Append(E(cost.Region)).Append("</code>");
        }

        html.Append(", prices in ").Append(E(cost.Currency)).Append(".</p>\n")
            .Append("<div class=\"table-wrap\"><table>\n<thead><tr><th>Estimate</th><th class=\"num\">Per request</th><th class=\"num\">Per 1M requests</th>")
            .Append("<th class=\"num\">Interval (per 1M)</th><th class=\"num\">Run total</th></tr></thead>\n<tbody>\n");
        var estimates = new List<(string Name, CostFigure? Figure)> { ("modeled", cost.Modeled), ("metered", cost.Metered) };
        if (cost.ServerModeled is not null)
        {
            estimates.Add(("modeled from server durations", cost.ServerModeled));
        }

        foreach (var (name, figure) in estimates)
        {
            html.Append("<tr><td>").Append(name).Append("</td>");
            if (figure is null)
            {
                html.Append("<td class=\"num\">n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td></tr>\n");
                continue;
            }

            Num(html, ReportText.Usd(figure.PerRequest));
            Num(html, ReportText.Usd(figure.PerMillion));
            var interval = figure.CiLow is { } low && figure.CiHigh is { } high
                ? $"{ReportText.Usd(low * 1_000_000)} … {ReportText.Usd(high * 1_000_000)}"
                    + (figure.ConfidenceLevel is { } level ? $" ({ReportText.Percent(level * 100, 0)})" : "")
                : "n/a";
            Num(html, interval);
            Num(html, figure.Total is { } total ? ReportText.Usd(total) : "n/a");
            html.Append("</tr>\n");
        }

        html.Append("</tbody></table></div>\n");
        if (cost.Server is { } server)
        {
            html.Append("<p>Server side (App Insights): ").Append(ReportText.Count(server.Requests)).Append(" requests, duration p50 ")
                .Append(server.DurationP50Ms is { } p50 ? ReportText.Ms(p50) : "n/a").Append(", p95 ")
                .Append(server.DurationP95Ms is { } p95 ? ReportText.Ms(p95) : "n/a").Append(", ")
                .Append(ReportText.Count(server.Instances)).Append(" instance(s).</p>\n");
        }

        foreach (var line in new[] { cost.PricingSource, cost.Note })
        {
            if (line is { Length: > 0 })
            {
                html.Append("<p class=\"note\">").Append(E(line)).Append("</p>\n");
            }
        }

        html.Append("</section>\n");
    }

    private static void Facts(StringBuilder html, RunReport report)
    {
        var run = report.Candidate;
        html.Append("<section id=\"facts\">\n<h2>Run facts</h2>\n<dl class=\"facts\">\n");
        Fact(html, "Workload", run.Workload);
        Fact(html, "Run id", run.RunId);
        Fact(html, "Status", run.Status + (run.FailureReason is { Length: > 0 } reason ? " — " + reason : ""));
        Fact(html, "Settings", run.SettingsKey);
        Fact(html, "Load model", run.Model);
        Fact(html, "Started", ReportText.Timestamp(run.StartedAt));
        Fact(html, "Completed", ReportText.Timestamp(run.CompletedAt));
        Fact(html, "Measured duration", ReportText.Seconds(run.DurationSeconds));
        Fact(html, "Shards succeeded", $"{run.ShardsSucceeded} of {run.ShardsTotal}");
        if (ReportText.ShardStarts(run) is { } starts)
        {
            Fact(html, "Shard starts", starts);
        }

        if (run.Trace is { } trace)
        {
            Fact(html, "Trace", trace.Describe() + $" — sha256 {trace.Sha256}");
        }

        if (run.Dataset is { } dataset)
        {
            Fact(html, "Dataset", $"{dataset.File} — {dataset.Rows} rows, {dataset.Bytes} B, {dataset.Mode}, onExhausted {dataset.OnExhausted}, sha256 {dataset.Sha256}"
                + (dataset.Exhausted.Count > 0 ? " — " + string.Join("; ", dataset.Exhausted) : ""));
        }
        Fact(html, "Requests", $"{ReportText.Count(run.Requests)} ({ReportText.Count(run.Successes)} succeeded)");
        Fact(html, "Throughput", ReportText.Throughput(run));
        if (run.ServiceTimeMs is { } service && run.Requests > 0)
        {
            Fact(html, "Service time", $"p50 {ReportText.Ms(service.P50)}, p99 {ReportText.Ms(service.P99)}, max {ReportText.Ms(service.Max)} (from the actual send)");
        }

        var lag = run.SchedulingLagMs;
        Fact(html, "Scheduling lag", $"p50 {ReportText.Ms(lag.P50)}, p99 {ReportText.Ms(lag.P99)}, max {ReportText.Ms(lag.Max)}");
        Fact(html, "Dropped arrivals", ReportText.Count(run.DroppedArrivals));
        if (run.Storage is { } storage)
        {
            Fact(html, "Artifacts", storage.Artifacts);
            Fact(html, "Run row", string.Join(" · ", new[] { storage.Table, storage.PartitionKey, storage.RowKey }.Where(s => !string.IsNullOrEmpty(s))));
        }

        if (report.Baseline is { } baseline)
        {
            Fact(html, "Baseline run", $"{baseline.RunId} ({baseline.Status}, {ReportText.Timestamp(baseline.StartedAt)}, "
                + $"{ReportText.Count(baseline.Requests)} requests, {ReportText.Number(baseline.ThroughputRps, 1)} req/s)");
        }

        html.Append("</dl>\n");
        if (run.Tags.Count > 0)
        {
            html.Append("<h3>Tags</h3>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Tag</th><th>Value</th></tr></thead>\n<tbody>\n");
            foreach (var (key, value) in run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                html.Append("<tr><td>").Append(E(key)).Append("</td><td><code>").Append(E(value)).Append("</code></td></tr>\n");
            }

            html.Append("</tbody></table></div>\n");
        }

        if (run.Rounds.Count > 1)
        {
            html.Append("<h3>Rounds</h3>\n<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"num\">Round</th><th>Variant</th><th class=\"num\">Requests</th>")
                .Append("<th class=\"num\">Errors</th><th class=\"num\">Throughput</th><th class=\"num\">p50</th><th class=\"num\">p99</th></tr></thead>\n<tbody>\n");
            foreach (var round in run.Rounds)
            {
                html.Append("<tr>");
                Num(html, round.Round.ToString(System.Globalization.CultureInfo.InvariantCulture));
                html.Append("<td>").Append(E(round.Variant)).Append("</td>");
                Num(html, ReportText.Count(round.Requests));
                Num(html, ReportText.Count(round.Errors));
                Num(html, ReportText.Number(round.ThroughputRps, 1) + " req/s");
                Num(html, ReportText.Ms(round.LatencyMs.P50));
                Num(html, ReportText.Ms(round.LatencyMs.P99));
                html.Append("</tr>\n");
            }

            html.Append("</tbody></table></div>\n");
        }

        html.Append("</section>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
}
