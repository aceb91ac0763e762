using System.Globalization;
using System.Text.RegularExpressions;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Parses k6-style thresholds: <c>metric operator value[unit]</c>.
/// <list type="bullet">
/// <item>Latencies <c>p(95)</c> (also <c>p95</c>, <c>p(99.9)</c>), <c>max</c>, <c>min</c>, <c>avg</c>/<c>mean</c>, <c>med</c>,
/// <c>coldStartP50</c>, <c>recoveryTime</c> (a fault run's slowest recovery): a unit is required (<c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>); the value is normalised to ms.</item>
/// <item><c>errorRate</c>: a fraction (<c>0.001</c>) or a percentage (<c>0.1%</c>), normalised to a fraction.</item>
/// <item><c>checks</c>: the response checks' pass rate, a fraction or percentage (<c>checks &gt; 99.9%</c>); per request
/// <c>checkout.checks &gt; 99%</c>.</item>
/// <item><c>rps</c> (alias <c>throughput</c>): requests per second, optionally written <c>500/s</c>.</item>
/// <item><c>costPerRequest</c>: USD; <c>droppedArrivals</c>: a count.</item>
/// <item>A named request's own latency, error rate and rate: <c>checkout.p(95) &lt; 300ms</c>, <c>checkout.errorRate &lt; 1%</c>,
/// <c>checkout.rps &gt; 50</c> (canonical metric <c>checkout.p95</c>, …).</item>
/// </list>
/// Operators are <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>; equality is refused with a suggestion, because
/// measured values are continuous and an exact match is almost never what is meant.
/// </summary>
public static partial class ThresholdParser
{
    /// <summary>Parses a threshold; throws <see cref="InputException"/> naming <paramref name="field"/> when it is not valid.</summary>
    public static Threshold Parse(string text, string field = "thresholds") =>
        TryParse(text, out var threshold, out var error)
            ? threshold!
            : throw new InputException(field, error!);

    /// <summary>Parses a threshold; on failure returns false with a message saying what to write instead.</summary>
    public static bool TryParse(string text, out Threshold? threshold, out string? error)
    {
        threshold = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the threshold is empty; write for example 'p(95) < 200ms'.";
            return false;
        }

        var trimmed = text.Trim();
        var match = Expression().Match(trimmed);
        if (!match.Success)
        {
            error = $"'{trimmed}' is not a threshold; write metric, operator and value, for example 'p(95) < 200ms', 'errorRate < 0.1%' or 'rps > 500'.";
            return false;
        }

        var request = match.Groups["request"].Success ? match.Groups["request"].Value : null;
        var metricText = match.Groups["metric"].Value;
        var opText = match.Groups["op"].Value;
        var valueText = match.Groups["value"].Value;
        var unit = match.Groups["unit"].Value.Trim();

        if (!TryMetric(metricText, out var metric, out var kind, out error)
            || !TryOperator(opText, metricText, valueText + unit, out var op, out error)
            || !TryValue(kind, metric, valueText, unit, out var value, out error))
        {
            return false;
        }

        if (request is not null)
        {
            if (metric is "coldStartP50" or "costPerRequest" or "droppedArrivals" or MetricKeys.RecoveryTime)
            {
                error = $"{metric} belongs to the whole run, not to request '{request}'; write '{metric} ...' without the prefix.";
                return false;
            }

            metric = MetricKeys.ForRequest(request, metric);
        }

        threshold = new Threshold(trimmed, metric, op, value);
        return true;
    }

    private enum MetricKind
    {
        Latency,
        Fraction,
        PerSecond,
        Usd,
        Count,
    }

    private static readonly string[] KnownMetrics =
        ["p(95)", "max", "min", "avg", "med", "errorRate", "checks", "rps", "coldStartP50", "recoveryTime", "costPerRequest", "droppedArrivals"];

    private static bool TryMetric(string text, out string metric, out MetricKind kind, out string? error)
    {
        error = null;
        kind = MetricKind.Latency;
        metric = text;
        var percentile = Percentile().Match(text);
        if (percentile.Success)
        {
            var p = double.Parse(percentile.Groups["p"].Value, CultureInfo.InvariantCulture);
            if (p is <= 0 or > 100)
            {
                error = $"percentile {percentile.Groups["p"].Value} is outside (0, 100].";
                return false;
            }

            metric = "p" + p.ToString("0.###", CultureInfo.InvariantCulture);
            return true;
        }

        (metric, kind) = text switch
        {
            "max" => ("max", MetricKind.Latency),
            "min" => ("min", MetricKind.Latency),
            "avg" or "mean" => ("mean", MetricKind.Latency),
            "med" or "median" => ("p50", MetricKind.Latency),
            "coldStartP50" => ("coldStartP50", MetricKind.Latency),
            "recoveryTime" => (MetricKeys.RecoveryTime, MetricKind.Latency),
            "errorRate" => ("errorRate", MetricKind.Fraction),
            "checks" => (MetricKeys.Checks, MetricKind.Fraction),
            "rps" or "throughput" => ("rps", MetricKind.PerSecond),
            "costPerRequest" => ("costPerRequest", MetricKind.Usd),
            "droppedArrivals" => ("droppedArrivals", MetricKind.Count),
            _ => ("", MetricKind.Latency),
        };
        if (metric.Length == 0)
        {
            var suggestion = Yardstick.Core.Workloads.NameSuggestions.DidYouMean(text, KnownMetrics);
            error = $"unknown metric '{text}'{(suggestion.Length > 0 ? suggestion : ";")} known: p(N), max, min, avg, med, errorRate, checks, rps, coldStartP50, recoveryTime, costPerRequest, droppedArrivals.";
            return false;
        }

        return true;
    }

    private static bool TryOperator(string text, string metric, string bound, out ThresholdOperator op, out string? error)
    {
        error = null;
        op = ThresholdOperator.LessThan;
        switch (text)
        {
            case "<": op = ThresholdOperator.LessThan; return true;
            case "<=": op = ThresholdOperator.LessOrEqual; return true;
            case ">": op = ThresholdOperator.GreaterThan; return true;
            case ">=": op = ThresholdOperator.GreaterOrEqual; return true;
            default:
                error = $"operator '{text}' is not supported; use <, <=, > or >= (for example '{metric} <= {bound}').";
                return false;
        }
    }

    private static bool TryValue(MetricKind kind, string metric, string number, string unit, out double value, out string? error)
    {
        error = null;
        value = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        switch (kind)
        {
            case MetricKind.Latency:
                double? factor = unit switch
                {
                    "us" or "µs" or "μs" => 0.001,
                    "ms" => 1,
                    "s" => 1000,
                    "m" => 60_000,
                    _ => null,
                };
                if (factor is null)
                {
                    error = unit.Length == 0
                        ? $"{metric} needs a time unit: us, ms, s or m (for example {number}ms)."
                        : $"'{unit}' is not a time unit for {metric}; use us, ms, s or m.";
                    return false;
                }

                value *= factor.Value;
                return true;
            case MetricKind.Fraction:
                if (unit == "%")
                {
                    value /= 100;
                }
                else if (unit.Length > 0)
                {
                    error = $"'{unit}' does not apply to {metric}; write a fraction (0.001) or a percentage (0.1%).";
                    return false;
                }

                if (value > 1)
                {
                    error = $"{metric} bound {number}{unit} is above 100 %; write a fraction (0.001) or a percentage (0.1%).";
                    return false;
                }

                return true;
            case MetricKind.PerSecond:
                if (unit is "" or "/s")
                {
                    return true;
                }

                error = $"'{unit}' does not apply to {metric}; write requests per second (500 or 500/s).";
                return false;
            default:
                if (unit.Length == 0 || (kind == MetricKind.Usd && unit.Equals("usd", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }

                error = $"'{unit}' does not apply to {metric}; write a plain number.";
                return false;
        }
    }

    // metric, operator (any run of comparison characters, judged later), non-negative number, optional unit.
    [GeneratedRegex(@"^(?:(?<request>[A-Za-z][A-Za-z0-9_\-]*)\.(?=[A-Za-z]))?(?<metric>p\s*\(\s*[0-9.]+\s*\)|p[0-9]+(?:\.[0-9]+)?|[A-Za-z][A-Za-z0-9]*)\s*(?<op>[<>=!]+)\s*(?<value>[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(?<unit>%|/s|[A-Za-zµμ]+)?$")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^p\s*\(?\s*(?<p>[0-9]+(?:\.[0-9]+)?)\s*\)?$")]
    private static partial Regex Percentile();
}
