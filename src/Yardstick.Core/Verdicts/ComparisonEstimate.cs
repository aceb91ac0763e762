using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// The evidence on one metric before the Holm level is known: a point estimate on the comparison scale (log ratio or
/// rate difference, candidate relative to baseline, not yet oriented by direction), and intervals/p-values on demand.
/// </summary>
internal abstract class ComparisonEstimate
{
    protected ComparisonEstimate(string metric, double baseline, double candidate, string method, double runsPerSide, bool runLevel)
    {
        Metric = metric;
        Baseline = baseline;
        Candidate = candidate;
        Method = method;
        RunsPerSide = runsPerSide;
        RunLevel = runLevel;
    }

    public string Metric { get; private set; }

    public IntervalScale Scale => MetricKeys.Scale(Metric);

    public double Baseline { get; }

    public double Candidate { get; }

    public string Method { get; }

    /// <summary>Effective runs per side (harmonic mean of the two sides), for the additional-runs estimate.</summary>
    public double RunsPerSide { get; }

    /// <summary>Whether run-level values were compared (false: windows within the runs were resampled).</summary>
    public bool RunLevel { get; }

    /// <summary>A sentence the metric's explanation ends with (how it was decided when that is not the usual path), or null.</summary>
    public string? Note { get; set; }

    /// <summary>Names the estimate after the gated metric it answers (a request's <c>checkout.p95</c> computed as <c>p95</c>).</summary>
    public void Rename(string metric) => Metric = metric;

    /// <summary>log(candidate/baseline) or candidate - baseline.</summary>
    public abstract double Estimate { get; }

    /// <summary>Bounds each holding with one-sided confidence 1 - α.</summary>
    public abstract (double Lower, double Upper) Bounds(double oneSidedAlpha);

    /// <summary>p-value against "the candidate's value is higher".</summary>
    public abstract double PValueGreater();

    /// <summary>p-value against "the candidate's value is lower".</summary>
    public abstract double PValueLess();

    /// <summary>The p-value in the observed direction: the smaller one-sided p-value.</summary>
    public double PValue() => Math.Min(PValueGreater(), PValueLess());
}

/// <summary>An estimate whose error follows Student's t (or a normal): run-level t, bootstrap standard errors, noise floor.</summary>
internal sealed class StudentComparison(string metric, double baseline, double candidate, string method, double runsPerSide, bool runLevel, StudentEstimate student)
    : ComparisonEstimate(metric, baseline, candidate, method, runsPerSide, runLevel)
{
    public StudentEstimate Student { get; } = student;

    public override double Estimate => Student.Estimate;

    public override (double Lower, double Upper) Bounds(double oneSidedAlpha) => Student.Bounds(oneSidedAlpha);

    public override double PValueGreater() => Student.PValueGreater();

    public override double PValueLess() => Student.PValueLess();
}

/// <summary>Hodges–Lehmann shift of log values with the Mann–Whitney-inverted interval.</summary>
internal sealed class RankComparison(string metric, double baseline, double candidate, IReadOnlyList<double> logBaseline, IReadOnlyList<double> logCandidate)
    : ComparisonEstimate(metric, baseline, candidate, "run-level-rank", HarmonicMean(logBaseline.Count, logCandidate.Count), runLevel: true)
{
    public override double Estimate { get; } = HodgesLehmannShiftInterval.Estimate(logBaseline, logCandidate);

    public override (double Lower, double Upper) Bounds(double oneSidedAlpha) =>
        HodgesLehmannShiftInterval.Bounds(logBaseline, logCandidate, oneSidedAlpha);

    public override double PValueGreater() => HodgesLehmannShiftInterval.PValueGreater(logBaseline, logCandidate);

    public override double PValueLess() => HodgesLehmannShiftInterval.PValueLess(logBaseline, logCandidate);

    internal static double HarmonicMean(double a, double b) => 2 / ((1 / a) + (1 / b));
}

/// <summary>
/// Difference of error rates with Newcombe's hybrid score interval on effective counts (requests and errors divided by
/// the design effect). The design effect is estimated, so — as for quasi-binomial models — the normal quantile is
/// replaced by Student's t with the design effect's degrees of freedom (∞ when it is not estimated).
/// </summary>
internal sealed class NewcombeComparison : ComparisonEstimate
{
    private readonly double _xBaseline, _nBaseline, _xCandidate, _nCandidate;

    public NewcombeComparison(string method, double runsPerSide, bool runLevel, long errorsBaseline, long requestsBaseline, double designEffectBaseline, long errorsCandidate, long requestsCandidate, double designEffectCandidate, double degreesOfFreedom)
        : base(MetricKeys.ErrorRate, (double)errorsBaseline / requestsBaseline, (double)errorsCandidate / requestsCandidate, method, runsPerSide, runLevel)
    {
        DesignEffect = Math.Max(designEffectBaseline, designEffectCandidate);
        DegreesOfFreedom = degreesOfFreedom;
        _nBaseline = requestsBaseline / designEffectBaseline;
        _xBaseline = errorsBaseline / designEffectBaseline;
        _nCandidate = requestsCandidate / designEffectCandidate;
        _xCandidate = errorsCandidate / designEffectCandidate;
    }

    /// <summary>The larger of the two sides' design effects (variance inflation over independent requests).</summary>
    public double DesignEffect { get; }

    public double DegreesOfFreedom { get; }

    public override double Estimate => Candidate - Baseline;

    public override (double Lower, double Upper) Bounds(double oneSidedAlpha) =>
        NewcombeDifferenceInterval.Bounds(_xCandidate, _nCandidate, _xBaseline, _nBaseline, Reference.Quantile(1 - oneSidedAlpha));

    public override double PValueGreater() => ToReference(NewcombeDifferenceInterval.PValueGreater(_xCandidate, _nCandidate, _xBaseline, _nBaseline));

    public override double PValueLess() => ToReference(NewcombeDifferenceInterval.PValueLess(_xCandidate, _nCandidate, _xBaseline, _nBaseline));

    private StudentEstimate Reference => new(0, 1, DegreesOfFreedom);

    /// <summary>The normal-reference p-value marks the quantile z* where the bound crosses 0; re-read it under t.</summary>
    private double ToReference(double normalP)
    {
        if (normalP >= 0.5 || double.IsPositiveInfinity(DegreesOfFreedom))
        {
            return normalP;
        }

        var z = -MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, normalP);
        return new StudentEstimate(z, 1, DegreesOfFreedom).PValueGreater();
    }
}
