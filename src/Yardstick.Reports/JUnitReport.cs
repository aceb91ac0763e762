using System.Globalization;
using System.Xml.Linq;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>
/// <c>junit.xml</c> for CI test tabs: one test case per gated metric (class <c>yardstick.&lt;workload&gt;.verdict</c>),
/// one per threshold (<c>yardstick.&lt;workload&gt;.thresholds</c>), one per response check
/// (<c>yardstick.&lt;workload&gt;.checks</c>, failing when any response failed it) and one for the run itself
/// (<c>yardstick.&lt;workload&gt;.run</c>, failing when the run failed or was cancelled).
/// </summary>
public static class JUnitReport
{
    /// <param name="report">The run.</param>
    /// <param name="failOnInconclusive">Inconclusive metrics fail (as the gate's <c>--fail-on-inconclusive</c>) instead of being skipped.</param>
    public static string Render(RunReport report, bool failOnInconclusive)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Candidate;
        var prefix = XmlSafe("yardstick." + run.Workload);
        var cases = new List<XElement> { RunCase(prefix, run) };
        cases.AddRange(VerdictCases(prefix + ".verdict", run.Verdict, failOnInconclusive));
        cases.AddRange((run.Verdict?.Thresholds ?? []).Select(t => ThresholdCase(prefix + ".thresholds", t)));
        cases.AddRange(run.Checks.Select(c => CheckCase(prefix + ".checks", c)));

        var failures = cases.Count(c => c.Element("failure") is not null);
        var skipped = cases.Count(c => c.Element("skipped") is not null);
        var seconds = Seconds(run.DurationSeconds);
        var suite = new XElement("testsuite",
            new XAttribute("name", prefix),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", skipped),
            new XAttribute("time", seconds),
            new XAttribute("timestamp", run.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties", Properties(run)),
            cases);
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", "yardstick"),
                new XAttribute("tests", cases.Count),
                new XAttribute("failures", failures),
                new XAttribute("errors", 0),
                new XAttribute("skipped", skipped),
                new XAttribute("time", seconds),
                suite));
        return document.Declaration + "\n" + document.Root!.ToString(SaveOptions.None) + "\n";
    }

    private static XElement RunCase(string prefix, RunSummary run)
    {
        var testCase = Case(prefix + ".run", "status");
        if (run.Status is "failed" or "cancelled")
        {
            var message = $"Run {run.Status}" + (run.FailureReason is { Length: > 0 } reason ? ": " + reason : ".");
            testCase.Add(Outcome("failure", message, run.Status));
        }

        testCase.Add(new XElement("system-out", XmlSafe(
            $"status {run.Status}; {run.Requests} requests, {run.Errors} errors, {ReportText.Throughput(run)}; shards {run.ShardsSucceeded}/{run.ShardsTotal}")));
        return testCase;
    }

    private static IEnumerable<XElement> VerdictCases(string className, VerdictSummary? verdict, bool failOnInconclusive)
    {
        if (verdict is null)
        {
            yield return Case(className, "verdict").AddThen(Outcome("skipped", "The run was not analysed: no verdict.", null));
            yield break;
        }

        if (verdict.Metrics.Count == 0)
        {
            var message = verdict.Overall == ReportText.NoBaseline
                ? Text(verdict.Explanation, "No baseline yet: the thresholds alone decide this run.")
                : Text(verdict.Explanation, "No metric was compared.");
            yield return Case(className, verdict.Overall == ReportText.NoBaseline ? "baseline" : "verdict").AddThen(Outcome("skipped", message, null));
            yield break;
        }

        foreach (var metric in verdict.Metrics)
        {
            var testCase = Case(className, metric.Metric);
            switch (metric.Kind)
            {
                case ReportText.Regression:
                    testCase.Add(Outcome("failure", metric.Explanation, ReportText.Regression));
                    break;
                case ReportText.Inconclusive when failOnInconclusive:
                    testCase.Add(Outcome("failure", metric.Explanation, ReportText.Inconclusive));
                    break;
                case ReportText.Inconclusive:
                    testCase.Add(Outcome("skipped", metric.Explanation, null));
                    break;
                case ReportText.NoBaseline:
                    testCase.Add(Outcome("skipped", metric.Explanation, null));
                    break;
                default:
                    testCase.Add(new XElement("system-out", XmlSafe(metric.Explanation)));
                    break;
            }

            yield return testCase;
        }
    }

    private static XElement ThresholdCase(string className, ThresholdSummary threshold)
    {
        var testCase = Case(className, threshold.Threshold);
        testCase.Add(threshold.Passed
            ? new XElement("system-out", XmlSafe(threshold.Explanation))
            : Outcome("failure", threshold.Explanation, "threshold"));
        return testCase;
    }

    /// <summary>A response check: fails when any response failed it.</summary>
    private static XElement CheckCase(string className, CheckSummary check)
    {
        var testCase = Case(className, ReportText.CheckName(check));
        var text = $"{check.Expression}: passed {ReportText.CheckRate(check)}";
        testCase.Add(check.Failed == 0
            ? new XElement("system-out", XmlSafe(text))
            : Outcome("failure", $"{check.Expression}: failed on {ReportText.Count(check.Failed)} of {ReportText.Count(check.Passed + check.Failed)} responses (pass rate {ReportText.Percent(check.PassRate * 100)})", "check"));
        return testCase;
    }

    private static IEnumerable<XElement> Properties(RunSummary run)
    {
        yield return Property("runId", run.RunId);
        yield return Property("workload", run.Workload);
        yield return Property("status", run.Status);
        yield return Property("verdict", ReportText.Overall(run));
        if (run.Tags.TryGetValue("commit", out var commit))
        {
            yield return Property("commit", commit);
        }

        if (run.Verdict is { BaselineRunIds.Count: > 0 } verdict)
        {
            yield return Property("baselineRunIds", string.Join(",", verdict.BaselineRunIds));
        }

        foreach (var (key, value) in run.Tags.Where(t => t.Key != "commit").OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            yield return Property("tag." + key, value);
        }
    }

    private static XElement Case(string className, string name) =>
        new("testcase", new XAttribute("classname", XmlSafe(className)), new XAttribute("name", XmlSafe(name)), new XAttribute("time", "0"));

    /// <summary>A failure/skipped element: the message attribute holds the explanation, the body repeats it in full.</summary>
    private static XElement Outcome(string element, string message, string? type)
    {
        var outcome = new XElement(element, new XAttribute("message", XmlSafe(message)));
        if (type is not null)
        {
            outcome.Add(new XAttribute("type", type), XmlSafe(message));
        }

        return outcome;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", XmlSafe(name)), new XAttribute("value", XmlSafe(value)));

    private static XElement AddThen(this XElement element, object content)
    {
        element.Add(content);
        return element;
    }

    private static string Text(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;

    private static string Seconds(double seconds) =>
        (double.IsFinite(seconds) && seconds > 0 ? seconds : 0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry at all (control characters other than tab and line breaks, lone surrogates).</summary>
    private static string XmlSafe(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && System.Xml.XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                sb.Append(text, i, 2);
                i++;
            }
            else if (System.Xml.XmlConvert.IsXmlChar(text[i]))
            {
                sb.Append(text[i]);
            }
        }

        return sb.Length == text.Length ? text : sb.ToString();
    }
}
