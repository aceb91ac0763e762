using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// The path for fewer than three runs on a side: each run's per-second windows are block-bootstrapped for its
/// within-run uncertainty, and the run-to-run noise a single run cannot show is added on top — the calibrated prior
/// when there is one (its total variance, of which the within-run part is already measured), else
/// <see cref="VerdictPolicy.AssumedRunToRunCv"/>. Degrees of freedom combine per Welch–Satterthwaite: blocks - 1 per
/// run, the prior's degrees of freedom, and <see cref="VerdictPolicy.AssumedRunToRunDegreesOfFreedom"/> for an assumed value.
/// A run with fewer than <see cref="VerdictPolicy.MinimumWindows"/> windows cannot be resampled: with a calibrated prior
/// for the metric its run values are read against the prior alone (method <c>calibrated-noise</c>), else it is inconclusive.
/// </summary>
internal sealed class WindowBlockComparer
{
    private readonly IReadOnlyList<RunMetrics> _baseline;
    private readonly IReadOnlyList<RunMetrics> _candidate;
    private readonly VerdictPolicy _policy;
    private readonly double[] _probabilities;
    private readonly WindowBootstrap?[] _baselineBoots;
    private readonly WindowBootstrap?[] _candidateBoots;

    public WindowBlockComparer(IReadOnlyList<RunMetrics> baseline, IReadOnlyList<RunMetrics> candidate, VerdictPolicy policy)
    {
        _baseline = baseline;
        _candidate = candidate;
        _policy = policy;
        _probabilities = policy.Metrics.Select(MetricKeys.LatencyProbability).OfType<double>().Distinct().Order().ToArray();
        _baselineBoots = Boot(baseline, seedOffset: 0);
        _candidateBoots = Boot(candidate, seedOffset: 1000);
    }

    public MetricEvidence Compare(string metric)
    {
        var runs = RankComparison.HarmonicMean(_baseline.Count, _candidate.Count);
        var toRunLevel = 3 - Math.Min(_baseline.Count, _candidate.Count);
        if (!MetricKeys.DerivableFromWindows(metric))
        {
            return CompareByNoiseFloor(metric, runs, toRunLevel);
        }

        if ((TooShort(_baseline, _baselineBoots) ?? TooShort(_candidate, _candidateBoots)) is { } reason)
        {
            return MetricKeys.Scale(metric) == IntervalScale.Ratio && _policy.Noise.TryGetValue(metric, out var calibrated)
                ? CompareByCalibratedNoise(metric, calibrated, reason, runs, toRunLevel)
                : MetricEvidence.Unavailable(metric, reason, toRunLevel);
        }

        if (metric == MetricKeys.ErrorRate)
        {
            return CompareErrorRates(runs);
        }

        var (prior, priorDf) = Prior(metric);
        var b = Side(metric, _baseline, _baselineBoots!, prior, priorDf);
        var c = Side(metric, _candidate, _candidateBoots!, prior, priorDf);
        if (b is null || c is null)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} could not be computed from the {(b is null ? "baseline" : "candidate")} windows", toRunLevel);
        }

        var variance = b.Value.Variance + c.Value.Variance;
        var df = SatterthwaiteDf(b.Value.Terms.Concat(c.Value.Terms), variance);
        var student = new StudentEstimate(c.Value.LogValue - b.Value.LogValue, Math.Sqrt(variance), df);
        return MetricEvidence.From(new StudentComparison(metric, Math.Exp(b.Value.LogValue), Math.Exp(c.Value.LogValue), "window-block-bootstrap", runs, runLevel: false, student));
    }

    private MetricEvidence CompareErrorRates(double runs)
    {
        var (bRequests, bErrors, bDeff, bTerms) = ErrorSide(_baselineBoots!);
        var (cRequests, cErrors, cDeff, cTerms) = ErrorSide(_candidateBoots!);
        if (bRequests == 0 || cRequests == 0)
        {
            return MetricEvidence.Unavailable(MetricKeys.ErrorRate, $"the {(bRequests == 0 ? "baseline" : "candidate")} windows hold no requests", 3 - Math.Min(_baseline.Count, _candidate.Count));
        }

        var terms = bTerms.Concat(cTerms).ToList();
        var df = SatterthwaiteDf(terms, terms.Sum(t => t.Variance));
        return MetricEvidence.From(new NewcombeComparison("newcombe-windows", runs, runLevel: false, bErrors, bRequests, bDeff, cErrors, cRequests, cDeff, df));
    }

    /// <summary>
    /// Pooled counts of a side and its design effect: the request-weighted within-run design effects from the bootstrap,
    /// plus the run-to-run term (CV × rate)² expressed in binomial-variance units.
    /// </summary>
    private (long Requests, long Errors, double DesignEffect, List<(double Variance, double Df)> Terms) ErrorSide(WindowBootstrap?[] boots)
    {
        var requests = boots.Sum(b => b!.Requests);
        var errors = boots.Sum(b => b!.Errors);
        if (requests == 0 || errors == 0 || errors == requests)
        {
            return (requests, errors, 1, []);
        }

        var within = boots.Sum(b => b!.RateDesignEffect * b.Requests) / requests;
        var p = (double)errors / requests;
        var (prior, priorDf) = Prior(MetricKeys.ErrorRate);
        var between = prior * prior * p * requests / (boots.Length * (1 - p));

        // Variance components of the side's rate, for the degrees of freedom: the bootstrap's and the run-to-run term's.
        var unit = p * (1 - p) / requests;
        List<(double Variance, double Df)> terms = [(within * unit, boots.Sum(b => b!.DegreesOfFreedom)), (between * unit, priorDf)];
        return (requests, errors, within + between, terms);
    }

    private MetricEvidence CompareByNoiseFloor(string metric, double runs, int toRunLevel)
    {
        var x = _baseline.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();
        var y = _candidate.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();
        if (x.Count == 0 || y.Count == 0)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} was not measured on the {(x.Count == 0 ? "baseline" : "candidate")}");
        }

        var (tau, df) = Prior(metric);
        if (tau <= 0)
        {
            return MetricEvidence.Unavailable(metric, $"{metric} has no per-second windows and no run-to-run noise estimate", toRunLevel);
        }

        var se = tau * Math.Sqrt((1.0 / x.Count) + (1.0 / y.Count));
        var estimate = StudentDifference.Mean(y) - StudentDifference.Mean(x);
        return MetricEvidence.From(new StudentComparison(metric, Math.Exp(StudentDifference.Mean(x)), Math.Exp(StudentDifference.Mean(y)), "noise-floor", runs, runLevel: false, new StudentEstimate(estimate, se, df)));
    }

    /// <summary>
    /// A run too short to resample, with a stored calibration: the calibration's A/A runs had the same settings (its
    /// settings hash includes the load shape and duration), so the spread of their log run values is the whole noise of
    /// one such run — within-run sampling and run-to-run shift together. The observed log ratio of the run values is read
    /// against it: standard error σ·√(1/n_b + 1/n_c), Student's t with the calibration's runs - 1 degrees of freedom.
    /// </summary>
    private MetricEvidence CompareByCalibratedNoise(string metric, NoisePrior prior, string reason, double runs, int toRunLevel)
    {
        var x = _baseline.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();
        var y = _candidate.Select(r => r.Value(metric)).Where(v => v is > 0).Select(v => Math.Log(v!.Value)).ToList();
        if (x.Count == 0 || y.Count == 0 || prior.LogStandardDeviation <= 0)
        {
            return MetricEvidence.Unavailable(metric, reason, toRunLevel);
        }

        var se = prior.LogStandardDeviation * Math.Sqrt((1.0 / x.Count) + (1.0 / y.Count));
        var estimate = StudentDifference.Mean(y) - StudentDifference.Mean(x);
        var comparison = new StudentComparison(
            metric, Math.Exp(StudentDifference.Mean(x)), Math.Exp(StudentDifference.Mean(y)), "calibrated-noise", runs, runLevel: false,
            new StudentEstimate(estimate, se, prior.DegreesOfFreedom))
        {
            Note = $"Decided with the stored calibration's run-to-run noise ({prior.DegreesOfFreedom + 1} runs, sd {(prior.LogStandardDeviation * 100).ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture)} %) because the run is too short to resample ({reason}).",
        };
        return MetricEvidence.From(comparison);
    }

    /// <summary>A side's mean log value, its variance and the variance terms with their degrees of freedom.</summary>
    private (double LogValue, double Variance, List<(double Variance, double Df)> Terms)? Side(string metric, IReadOnlyList<RunMetrics> runs, WindowBootstrap?[] boots, double priorSd, double priorDf)
    {
        var r = runs.Count;
        var terms = new List<(double Variance, double Df)>();
        double sum = 0, within = 0;
        for (var i = 0; i < r; i++)
        {
            var boot = boots[i]!;
            var (point, variance) = metric == MetricKeys.Throughput
                ? (boot.LogThroughput, boot.LogThroughputVariance)
                : (boot.LogQuantiles[Array.IndexOf(_probabilities, MetricKeys.LatencyProbability(metric)!.Value)], boot.LogQuantileVariances[Array.IndexOf(_probabilities, MetricKeys.LatencyProbability(metric)!.Value)]);

            // The run's reported value wins over the window-derived one when present: it is the figure users see.
            var reported = runs[i].Value(metric);
            var logValue = reported is > 0 ? Math.Log(reported.Value) : point;
            if (!double.IsFinite(logValue))
            {
                return null;
            }

            sum += logValue;
            within += variance;
            terms.Add((variance / (r * (double)r), boot.DegreesOfFreedom));
        }

        // A calibrated prior measured the total run-level variance, of which the within-run part is already counted;
        // an assumed CV stands for the between-run part alone.
        var tau2 = _policy.Noise.ContainsKey(metric) ? Math.Max(0, (priorSd * priorSd) - (within / r)) : priorSd * priorSd;
        terms.Add((tau2 / r, priorDf));
        return (sum / r, terms.Sum(t => t.Variance), terms);
    }

    private (double Sd, double Df) Prior(string metric) =>
        _policy.Noise.TryGetValue(metric, out var prior)
            ? (prior.LogStandardDeviation, prior.DegreesOfFreedom)
            : (_policy.AssumedRunToRunCv, _policy.AssumedRunToRunDegreesOfFreedom);

    private static double SatterthwaiteDf(IEnumerable<(double Variance, double Df)> terms, double total)
    {
        var denominator = terms.Where(t => t.Variance > 0 && !double.IsPositiveInfinity(t.Df)).Sum(t => t.Variance * t.Variance / t.Df);
        return denominator <= 0 ? double.PositiveInfinity : total * total / denominator;
    }

    private string? TooShort(IReadOnlyList<RunMetrics> runs, WindowBootstrap?[] boots)
    {
        for (var i = 0; i < runs.Count; i++)
        {
            if (boots[i] is null)
            {
                return $"run {runs[i].RunId} has {runs[i].Windows.Count} per-second windows; at least {_policy.MinimumWindows} are needed to resample";
            }
        }

        return null;
    }

    private WindowBootstrap?[] Boot(IReadOnlyList<RunMetrics> runs, int seedOffset)
    {
        var needsWindows = _policy.Metrics.Any(MetricKeys.DerivableFromWindows);
        return runs.Select((run, i) => needsWindows && run.Windows.Count >= _policy.MinimumWindows
            ? WindowBootstrap.Run(run.Windows, _probabilities, _policy.BootstrapIterations, _policy.BlockLength, unchecked((_policy.Seed * 7919) + seedOffset + i))
            : null).ToArray();
    }
}
