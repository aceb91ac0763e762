using System.Globalization;
using System.Text;
using Yardstick.Core.Environments;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

public static partial class HtmlReport
{
    /// <summary>
    /// The collapsible Environment section: each generator environment with its shards, the target as far as known, and
    /// (open) the fields that differ from the baseline. Absent for summaries without an environment.
    /// </summary>
    private static void Environment(StringBuilder html, RunSummary run)
    {
        if (run.Environment is not { } environment)
        {
            return;
        }

        var differences = run.Verdict?.EnvironmentDifferences ?? [];
        html.Append("<section id=\"environment\">\n<h2>Environment</h2>\n");
        if (differences.Count > 0)
        {
            html.Append("<p class=\"note\">Measured in a different environment than the baseline (a note, not a failure): ")
                .Append(E(string.Join("; ", differences))).Append("</p>\n");
        }

        if (environment.TargetChanges.Count > 0)
        {
            html.Append("<p class=\"note\">The target changed during the run (the run is degraded): ")
                .Append(E(string.Join("; ", environment.TargetChanges))).Append("</p>\n");
        }

        html.Append("<details").Append(differences.Count > 0 ? " open" : "").Append(">\n<summary>").Append(E(environment.Digest())).Append("</summary>\n");
        var index = 0;
        foreach (var generator in environment.Generators)
        {
            index++;
            var g = generator.Environment;
            html.Append("<h3>Generator").Append(environment.Generators.Count > 1 ? " " + index.ToString(CultureInfo.InvariantCulture) : "").Append("</h3>\n<dl class=\"facts\">\n");
            Fact(html, "Host", g.HostKind);
            Fact(html, "OS", $"{g.Os} — {g.OsDescription}");
            Fact(html, "Kernel", g.Kernel);
            Fact(html, "CPU", (g.CpuModel ?? "model not known") + $", {g.LogicalCores} logical cores");
            Fact(html, "Memory", g.MemoryMB is { } mb ? $"{mb:N0} MB" : "not known");
            Fact(html, "Runtime", $"{g.Runtime} {g.Architecture}, {(g.ServerGc ? "server" : "workstation")} GC");
            Fact(html, "Yardstick", g.YardstickVersion);
            if (g.Region is not null || g.Sku is not null || g.InstanceMemoryMB is not null)
            {
                Fact(html, "Instance", string.Join(", ", new[] { g.Region, g.Sku, g.InstanceMemoryMB is { } im ? $"{im} MB" : null }.Where(p => p is not null)));
            }

            Fact(html, "Shards", string.Join(", ", generator.Shards));
            html.Append("</dl>\n");
        }

        if (environment.Target is { } target)
        {
            html.Append("<h3>Target</h3>\n<dl class=\"facts\">\n");
            Fact(html, "Kind", target.Kind);
            foreach (var (field, value) in target.ComparableFields().Skip(1).Where(f => f.Value is not null))
            {
                Fact(html, field["target.".Length..], value!);
            }

            html.Append("</dl>\n");
        }

        html.Append("</details>\n</section>\n");
    }
}
