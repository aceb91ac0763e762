namespace Yardstick.Core.Ports;

/// <summary>
/// The <c>Verdicts</c> table: one row per run and metric (partition = run id, row = metric), written by upsert so a
/// repeated analysis replaces its rows.
/// </summary>
public interface IVerdictStore
{
    /// <summary>Creates or replaces the rows; rows of one run are written in atomic batches.</summary>
    Task UpsertAsync(IEnumerable<VerdictRow> rows, CancellationToken cancellationToken);

    /// <summary>The verdict rows of a run, ordered by metric.</summary>
    Task<IReadOnlyList<VerdictRow>> ListAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>One stored verdict of one metric of a run (flat, so it maps one to one onto a table row).</summary>
/// <param name="RunId">The candidate run.</param>
/// <param name="Metric">Metric name (<c>p95</c>, <c>errorRate</c>, <c>coldStartP50</c>, a threshold text…).</param>
/// <param name="Kind"><c>regression</c>, <c>equivalent</c>, <c>improvement</c>, <c>inconclusive</c>, <c>no-baseline</c>, <c>pass</c>, <c>fail</c>.</param>
/// <param name="Baseline">Baseline value in the metric's unit (ms, fraction, req/s, USD), when there is one.</param>
/// <param name="Candidate">Candidate value in the same unit.</param>
/// <param name="Ratio">Candidate / baseline point estimate.</param>
/// <param name="CiLow">Lower end of the confidence interval of the ratio (or difference, per <paramref name="Method"/>).</param>
/// <param name="CiHigh">Upper end of that interval.</param>
/// <param name="PValue">Adjusted p-value (Holm) when a test was made.</param>
/// <param name="Method">How the verdict was reached (for example <c>run-level Mann-Whitney</c>, <c>block bootstrap</c>, <c>threshold</c>).</param>
/// <param name="Explanation">One sentence with the numbers.</param>
/// <param name="BaselineRunIds">The baseline runs compared with.</param>
public sealed record VerdictRow(
    string RunId,
    string Metric,
    string Kind,
    double? Baseline,
    double? Candidate,
    double? Ratio,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    string Method,
    string Explanation,
    IReadOnlyList<string> BaselineRunIds);
