namespace Yardstick.Core.Verdicts;

/// <summary>What a comparison path found for one metric: an estimate, or the reason there is none.</summary>
internal sealed record MetricEvidence(string Metric, ComparisonEstimate? Estimate, string? Reason, int? AdditionalRunsNeeded = null)
{
    public static MetricEvidence From(ComparisonEstimate estimate) => new(estimate.Metric, estimate, null);

    public static MetricEvidence Unavailable(string metric, string reason, int? additionalRunsNeeded = null) =>
        new(metric, null, reason, additionalRunsNeeded);
}
