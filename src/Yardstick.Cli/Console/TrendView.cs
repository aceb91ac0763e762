using System.Globalization;
using Spectre.Console;
using Yardstick.Core.Trends;

namespace Yardstick.Cli.Console;

/// <summary>
/// A trend in the terminal: per settings key a table with one sparkline per metric and a line of marks under it
/// (<c>^</c> change point, <c>R</c> regression verdict, <c>D</c> drift confirmed, <c>B</c> baseline promotion, <c>x</c> failed run, <c>W</c> workload
/// changed), then the change points, promotions and verdicts as tables.
/// </summary>
internal static class TrendView
{
    /// <summary>Widest sparkline, in characters; longer series are bucketed (the median of each bucket is drawn).</summary>
    public const int SparklineWidth = 60;

    private const string Levels = "▁▂▃▄▅▆▇█";

    public static void Render(IAnsiConsole console, TrendReport trend, string storage)
    {
        console.MarkupLine(
            $"Trend of [bold]{Markup.Escape(trend.Workload)}[/], last {trend.Days} days ({trend.From:yyyy-MM-dd} → {trend.To:yyyy-MM-dd}), "
            + $"{trend.RunsRead.ToString("N0", CultureInfo.InvariantCulture)} runs"
            + (trend.SettingsHash is { } hash ? $", settings hash {Markup.Escape(hash)}…" : "")
            + (trend.Truncated ? " [yellow](the oldest runs of the window were left out)[/]" : "")
            + $" on {Markup.Escape(storage)}.");
        if (trend.RunsRead == 0)
        {
            console.MarkupLine("No runs in this window.");
            return;
        }

        foreach (var group in trend.Series.GroupBy(s => s.SettingsKey, StringComparer.Ordinal))
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"settings [bold]{Markup.Escape(group.Key)}[/]");
            table.AddColumn("metric").AddColumn("over time (oldest → newest)").AddColumn(new TableColumn("latest").RightAligned()).AddColumn("range").AddColumn("trend");
            foreach (var series in group.Where(s => s.Points.Count > 0))
            {
                var (line, marks) = Sparkline(series, trend);
                table.AddRow(
                    new Markup($"{Markup.Escape(series.Metric)}\n[grey]{Markup.Escape(series.Unit)}, n={series.Points.Count}[/]"),
                    new Markup($"{Markup.Escape(line)}\n[grey]{Markup.Escape(marks)}[/]"),
                    new Markup(Format(series.Latest!.Value, series.Unit)),
                    new Markup($"{Format(series.Points.Min(p => p.Value), series.Unit)} – {Format(series.Points.Max(p => p.Value), series.Unit)}"),
                    new Markup(Direction(series)));
            }

            foreach (var empty in group.Where(s => s.Points.Count == 0))
            {
                table.AddRow(new Markup(Markup.Escape(empty.Metric)), new Markup("[grey]not stored for these runs[/]"), new Markup(""), new Markup(""), new Markup(""));
            }

            console.Write(table);
        }

        console.MarkupLine("[grey]marks: ^ change point, R regression verdict, D drift confirmed, B baseline promoted, x failed run, W workload or settings changed[/]");
        RenderChangePoints(console, trend);
        RenderPromotions(console, trend);
        RenderVerdicts(console, trend);
    }

    /// <summary>The sparkline of a series and its marks line, both at most <see cref="SparklineWidth"/> characters.</summary>
    internal static (string Line, string Marks) Sparkline(TrendSeries series, TrendReport trend)
    {
        var points = series.Points;
        var width = Math.Min(SparklineWidth, points.Count);
        var min = points.Min(p => p.Value);
        var max = points.Max(p => p.Value);
        var line = new char[width];
        var marks = Enumerable.Repeat(' ', width).ToArray();
        for (var b = 0; b < width; b++)
        {
            var (start, end) = Bucket(b, width, points.Count);
            var values = points.Skip(start).Take(end - start).Select(p => p.Value).Order().ToArray();
            var median = values[values.Length / 2];
            var level = max > min ? (int)Math.Round((median - min) / (max - min) * (Levels.Length - 1)) : 0;
            line[b] = Levels[level];
        }

        void Mark(DateTimeOffset at, char mark, int rank)
        {
            if (at < points[0].At.AddSeconds(-1) || at > points[^1].At.AddDays(1))
            {
                return;
            }

            var index = Math.Max(0, points.ToList().FindLastIndex(p => p.At <= at));
            var bucket = (int)((long)index * width / points.Count);
            if (Rank(marks[bucket]) < rank)
            {
                marks[bucket] = mark;
            }
        }

        var runs = trend.Runs.Where(r => r.SettingsKey == series.SettingsKey).ToList();
        foreach (var change in trend.WorkloadChanges.Where(c => c.SettingsKey == series.SettingsKey))
        {
            Mark(change.At, 'W', 1);
        }

        foreach (var failed in runs.Where(r => r.Status == "failed"))
        {
            Mark(failed.At, 'x', 2);
        }

        foreach (var promotion in trend.Promotions.Where(p => p.SettingsKey == series.SettingsKey))
        {
            Mark(promotion.At, 'B', 3);
        }

        foreach (var regression in runs.Where(r => r.Verdict == "regression"))
        {
            Mark(regression.At, 'R', 4);
        }

        foreach (var drift in runs.Where(r => r.Drift is not null))
        {
            Mark(drift.At, 'D', 4);
        }

        foreach (var change in series.ChangePoints)
        {
            Mark(change.At, '^', 5);
        }

        return (new string(line), new string(marks).TrimEnd());
    }

    private static int Rank(char mark) => mark switch { '^' => 5, 'R' or 'D' => 4, 'B' => 3, 'x' => 2, 'W' => 1, _ => 0 };

    private static (int Start, int End) Bucket(int bucket, int width, int count) =>
        ((int)((long)bucket * count / width), (int)((long)(bucket + 1) * count / width));

    private static void RenderChangePoints(IAnsiConsole console, TrendReport trend)
    {
        var rows = trend.Series.SelectMany(s => s.ChangePoints.Select(c => (Series: s, Change: c))).OrderBy(x => x.Change.At).ToList();
        if (rows.Count == 0)
        {
            console.MarkupLine("No change points (E-divisive means, α = 0.01).");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("change points (E-divisive means, α = 0.01)");
        table.AddColumn("first run after").AddColumn("date").AddColumn("settings").AddColumn("metric").AddColumn("before → after").AddColumn("change (95% CI)").AddColumn(new TableColumn("p").RightAligned());
        foreach (var (series, change) in rows)
        {
            table.AddRow(
                change.RunId,
                change.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Markup.Escape(series.SettingsKey),
                Markup.Escape(series.Metric),
                $"{Format(change.Before, series.Unit)} → {Format(change.After, series.Unit)} ({change.RunsBefore} | {change.RunsAfter} runs)",
                ChangeText(change, series.Unit),
                change.PValue.ToString("0.000", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    private static void RenderPromotions(IAnsiConsole console, TrendReport trend)
    {
        if (trend.Promotions.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("baseline promotions");
        table.AddColumn("date").AddColumn("settings").AddColumn("runs").AddColumn("mode").AddColumn("by").AddColumn("reason");
        foreach (var p in trend.Promotions)
        {
            table.AddRow(
                p.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(p.SettingsKey + (p.Environment is { } e ? "@" + e : "")),
                Markup.Escape(string.Join(", ", p.RunIds)),
                Markup.Escape(p.Mode),
                Markup.Escape(p.PromotedBy ?? "-"),
                Markup.Escape(p.Reason ?? "-"));
        }

        console.Write(table);
    }

    private static void RenderVerdicts(IAnsiConsole console, TrendReport trend)
    {
        var counts = trend.Runs.Where(r => r.Verdict is not null).GroupBy(r => r.Verdict!).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} {g.Key}").ToList();
        var failed = trend.Runs.Count(r => r.Status == "failed");
        console.MarkupLine(Markup.Escape($"Verdicts: {(counts.Count == 0 ? "none stored" : string.Join(", ", counts))}; {failed} failed run(s)."));
        foreach (var regression in trend.Runs.Where(r => r.Verdict == "regression").TakeLast(5))
        {
            console.MarkupLine(Markup.Escape($"  regression: {regression.RunId} ({regression.At:yyyy-MM-dd}, settings {regression.SettingsKey}); 'yardstick show {regression.RunId}' explains it."));
        }

        foreach (var drift in trend.Runs.Where(r => r.Drift is not null).TakeLast(5))
        {
            console.MarkupLine(Markup.Escape($"  drift on {drift.Drift}: {drift.RunId} ({drift.At:yyyy-MM-dd}, settings {drift.SettingsKey}); 'yardstick show {drift.RunId}' explains it."));
        }
    }

    private static string Direction(TrendSeries series) => series.Assessment switch
    {
        TrendDirections.Worse => $"[red]{series.Direction}, worse[/]",
        TrendDirections.Better => $"[green]{series.Direction}, better[/]",
        _ => "flat",
    };

    private static string ChangeText(TrendChangePoint change, string unit)
    {
        string One(double v) => change.Relative ? v.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : Format(v, unit);
        return change.CiLow is { } low && change.CiHigh is { } high ? $"{One(change.Change)} ({One(low)} … {One(high)})" : One(change.Change);
    }

    internal static string Format(double value, string unit) => unit switch
    {
        "ms" => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        "fraction" => value.ToString("0.00%", CultureInfo.InvariantCulture),
        "req/s" => value.ToString("0.0", CultureInfo.InvariantCulture) + " req/s",
        "USD" => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => value.ToString("G4", CultureInfo.InvariantCulture),
    };
}
