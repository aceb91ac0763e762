using MathNet.Numerics.Distributions;
using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;
using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>The noise of one metric measured by A/A runs.</summary>
/// <param name="Metric">The metric key.</param>
/// <param name="Scale">Ratio (relative noise and margin) or difference (error rates: absolute).</param>
/// <param name="Runs">A/A runs that measured it.</param>
/// <param name="Center">Harrell–Davis median of the run values.</param>
/// <param name="RunToRunCv">Robust run-to-run coefficient of variation: Shamos spread of log values × 1.0483 (consistent for
/// a normal σ); for error rates the robust standard deviation of run rates over their mean (NaN at zero errors).</param>
/// <param name="NoiseFloor">Half-width of the interval an A/A comparison of <see cref="CalibrationResult.RunsPerSide"/> runs per
/// side would show at the first Holm step: smaller changes are indistinguishable from noise (relative, or absolute for errors).</param>
/// <param name="RecommendedMargin">The smallest margin (rounded up to 0.5 % or 0.01 pp) such that such an A/A comparison is called
/// equivalent with probability ≥ <see cref="CalibrationResult.Assurance"/>.</param>
/// <param name="LogStandardDeviation">Classical standard deviation of the log run values (or of the rates), the prior's spread.</param>
/// <param name="Explanation">One sentence with the numbers.</param>
public sealed record MetricCalibration(
    string Metric,
    IntervalScale Scale,
    int Runs,
    double Center,
    double RunToRunCv,
    double NoiseFloor,
    double RecommendedMargin,
    double LogStandardDeviation,
    string Explanation);

/// <summary>What <c>yardstick calibrate</c> reports.</summary>
/// <param name="Runs">A/A runs analysed.</param>
/// <param name="RunsPerSide">Runs per side of the comparisons the floor and margin are computed for.</param>
/// <param name="Alpha">Family-wise α of the policy.</param>
/// <param name="Assurance">Probability with which the recommended margin calls an A/A comparison equivalent.</param>
/// <param name="Metrics">Per-metric results.</param>
public sealed record CalibrationResult(int Runs, int RunsPerSide, double Alpha, double Assurance, IReadOnlyList<MetricCalibration> Metrics)
{
    /// <summary>Noise priors for <see cref="VerdictPolicy.Noise"/> (ratio metrics; error rates use their counts instead).</summary>
    public IReadOnlyDictionary<string, NoisePrior> ToNoisePriors() =>
        Metrics.Where(m => m.Scale == IntervalScale.Ratio && double.IsFinite(m.LogStandardDeviation))
            .ToDictionary(m => m.Metric, m => new NoisePrior(m.LogStandardDeviation, m.Runs - 1), StringComparer.Ordinal);
}

/// <summary>
/// Estimates run-to-run noise from A/A runs (the same build measured repeatedly) and recommends a margin.
/// Rule: with σ the robust log-scale spread of one run, k gated metrics and n runs per side, an A/A comparison's
/// estimate has standard error s = σ·√(2/n) and, at the first Holm step, a half-width h = t(1 - α/k; N - 1)·s (the
/// noise floor). It is called equivalent when |estimate| + h ≤ log(1 + m); |estimate| ≤ z((1 + a)/2)·s with probability a,
/// so the recommended margin is m = exp(h + z((1 + a)/2)·s) - 1, with assurance a = 0.9. Error rates the same, absolute.
/// </summary>
public static class NoiseCalibration
{
    /// <summary>Shamos spread → normal σ: 1/(√2·Φ⁻¹(3/4)).</summary>
    private const double ShamosConsistency = 1.0483;

    /// <summary>
    /// Calibrates every metric the A/A runs measured, assuming the default gated set (k = 4 for the Holm step) and
    /// <paramref name="alpha"/>, for comparisons with as many runs per side as the calibration has.
    /// </summary>
    public static CalibrationResult Estimate(IReadOnlyList<RunMetrics> aaRuns, double alpha) =>
        Estimate(aaRuns, VerdictPolicy.Default with { Alpha = alpha });

    /// <summary>Calibrates the metrics A/A runs measured, for a policy and comparisons of <paramref name="runsPerSide"/> runs per side.</summary>
    /// <exception cref="InputException">Fewer than two runs.</exception>
    public static CalibrationResult Estimate(IReadOnlyList<RunMetrics> aaRuns, VerdictPolicy policy, int? runsPerSide = null, double assurance = 0.9)
    {
        if (aaRuns.Count < 2)
        {
            throw new InputException("runs", $"Calibration needs at least 2 A/A runs; got {aaRuns.Count}.");
        }

        var n = runsPerSide ?? aaRuns.Count;
        if (n < 1)
        {
            throw new InputException("runsPerSide", "Comparisons need at least one run per side.");
        }

        var k = Math.Max(1, policy.Metrics.Count);
        var t = StudentT.InvCDF(0, 1, aaRuns.Count - 1, 1 - (policy.Alpha / k));
        var z = Normal.InvCDF(0, 1, (1 + assurance) / 2);
        var metrics = new List<MetricCalibration>();
        foreach (var metric in MetricKeys.Comparable)
        {
            var calibration = metric == MetricKeys.ErrorRate
                ? ErrorRate(aaRuns, n, t, z)
                : Ratio(metric, aaRuns, n, t, z);
            if (calibration is not null)
            {
                metrics.Add(calibration);
            }
        }

        return new CalibrationResult(aaRuns.Count, n, policy.Alpha, assurance, metrics);
    }

    private static MetricCalibration? Ratio(string metric, IReadOnlyList<RunMetrics> runs, int n, double t, double z)
    {
        var values = runs.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => v!.Value).ToArray();
        if (values.Length < 2)
        {
            return null;
        }

        var logs = values.Select(v => Math.Log(v)).ToArray();
        var robust = ShamosConsistency * new Sample(logs).Spread().NominalValue;
        var classical = Math.Sqrt(StudentDifference.Variance(logs));
        var s = robust * Math.Sqrt(2.0 / n);
        var floor = Math.Exp(t * s) - 1;
        var margin = RoundUp(Math.Exp((t * s) + (z * s)) - 1, 0.005);
        var center = HarrellDavisQuantileEstimator.Instance.Quantile(new Sample(values), Probability.Half).NominalValue;
        var text = $"{metric}: run-to-run CV {Pct(robust)} over {values.Length} A/A runs; changes under {Pct(floor)} are noise at {n} run{(n == 1 ? "" : "s")} per side; a {Pct(margin)} margin calls such an A/A comparison equivalent.";
        return new MetricCalibration(metric, IntervalScale.Ratio, values.Length, center, robust, floor, margin, classical, text);
    }

    private static MetricCalibration? ErrorRate(IReadOnlyList<RunMetrics> runs, int n, double t, double z)
    {
        var rates = runs.Select(r => r.Counts()).OfType<(long Requests, long Errors)>().Select(c => (double)c.Errors / c.Requests).ToArray();
        if (rates.Length < 2)
        {
            return null;
        }

        var robust = ShamosConsistency * new Sample(rates).Spread().NominalValue;
        var classical = Math.Sqrt(StudentDifference.Variance(rates));

        // All-equal rates (typically all zero) give no spread; fall back to the classical one, then to nothing.
        var sd = robust > 0 ? robust : classical;
        var s = sd * Math.Sqrt(2.0 / n);
        var floor = t * s;
        var margin = RoundUp((t * s) + (z * s), 0.0001);
        var center = HarrellDavisQuantileEstimator.Instance.Quantile(new Sample(rates), Probability.Half).NominalValue;
        var mean = rates.Average();
        var cv = mean > 0 ? robust / mean : double.NaN;
        var text = $"errorRate: run-to-run spread {Pp(sd)} around {Pct(mean, 2)} over {rates.Length} A/A runs; changes under {Pp(floor)} are noise at {n} run{(n == 1 ? "" : "s")} per side; a {Pp(margin)} margin calls such an A/A comparison equivalent.";
        return new MetricCalibration(MetricKeys.ErrorRate, IntervalScale.Difference, rates.Length, center, cv, floor, margin, classical, text);
    }

    // "+ 0.0" turns the -0 that Ceiling gives for a zero spread into 0 (printed "0.00", not "-0.00").
    private static double RoundUp(double value, double step) => (Math.Ceiling((value / step) - 1e-9) * step) + 0.0;

    // Floors from two or three runs can be astronomically wide; beyond tenfold the digits say nothing more.
    private static string Pct(double fraction, int decimals = 1) =>
        fraction >= 10 ? ">1000%" : (fraction * 100).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string Pp(double fraction) => (fraction * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " pp";
}
