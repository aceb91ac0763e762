using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Reports;

namespace Yardstick.Orchestration.Analysis;

/// <summary>
/// Renders a run's reports (<c>report.html</c>, <c>report.md</c>, <c>junit.xml</c>) from its stored artifacts and stores
/// them beside them; serves any format from storage, regenerating it when it is missing.
/// </summary>
public sealed class RunReports(IArtifactStore artifacts)
{
    /// <summary>The formats stored as their own blobs (JSON is the run's <c>summary.json</c>).</summary>
    public static IReadOnlyList<string> RenderedFormats { get; } = [ReportFormats.Html, ReportFormats.Markdown, ReportFormats.JUnit];

    private readonly RunArtifactReader _reader = new(artifacts);

    /// <summary>A report of <paramref name="candidate"/> (with the verdict in its summary) against the first baseline run.</summary>
    public static RunReport Build(StoredRun candidate, StoredRun? baseline) =>
        RunReport.Create(candidate.Summary, candidate.Latency, candidate.Timeline, baseline?.Summary, baseline?.Latency) with { ServerMetrics = candidate.ServerMetrics };

    /// <summary>Renders and stores the HTML, Markdown and JUnit reports (overwriting).</summary>
    public async Task WriteAsync(RunReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var format in RenderedFormats)
        {
            await artifacts.PutAsync(
                report.Candidate.Workload,
                report.Candidate.RunId,
                ReportFormats.BlobName(format),
                System.Text.Encoding.UTF8.GetBytes(ReportFormats.Render(report, format)),
                ReportFormats.ContentType(format),
                cancellationToken);
        }
    }

    /// <summary>
    /// The report of a run in <paramref name="format"/>: the stored blob, or — when it is missing — rendered from the
    /// stored summary, timeline and histograms (and the first baseline run the verdict names), then stored.
    /// <paramref name="failOnInconclusive"/> always re-renders JUnit (inconclusive metrics as failures). Null when the run
    /// has no summary.
    /// </summary>
    /// <exception cref="InputException">Unknown format.</exception>
    public async Task<byte[]?> GetAsync(string workload, string runId, string format, bool failOnInconclusive, CancellationToken cancellationToken)
    {
        var normalized = ReportFormats.Normalize(format);
        var blobName = ReportFormats.BlobName(normalized);
        var rerender = failOnInconclusive && normalized == ReportFormats.JUnit;
        if (!rerender && await artifacts.GetAsync(workload, runId, blobName, cancellationToken) is { } stored)
        {
            return stored;
        }

        if (await LoadAsync(workload, runId, cancellationToken) is not { } report)
        {
            return null;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(ReportFormats.Render(report, normalized, failOnInconclusive));
        if (!rerender)
        {
            await artifacts.PutAsync(workload, runId, blobName, bytes, ReportFormats.ContentType(normalized), cancellationToken);
        }

        return bytes;
    }

    /// <summary>The report model of a stored run, or null when it has no summary.</summary>
    public async Task<RunReport?> LoadAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        var candidate = await _reader.ReadAsync(workload, runId, cancellationToken);
        if (candidate is null)
        {
            return null;
        }

        StoredRun? baseline = null;
        if (candidate.Summary.Verdict?.BaselineRunIds is [var first, ..])
        {
            baseline = await _reader.ReadAsync(workload, first, cancellationToken);
        }

        return Build(candidate, baseline);
    }
}
