using System.Globalization;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Which setting a sweep recommends, with AWS Lambda Power Tuning's strategies (<c>sweep.recommend</c>: cost, speed,
/// balanced with a weight) beside the default, an explicit tolerance instead of a weight:
/// <list type="bullet">
/// <item><b>Front</b>: the Pareto front on (cost per request, p95 latency); without a cost section on (p95 latency,
/// error rate). Lower is better on both.</item>
/// <item><b>Fastest</b>: the lowest p95 (ties: cheaper, then listed first). <b>Cheapest</b>: the lowest cost per request
/// (ties: lower p95).</item>
/// <item><b>Recommended</b>: the cheapest variant whose p95 is within the workload's margin (<c>compare.margin</c>,
/// default 5 %) of the fastest's p95 — "pay nothing for speed you cannot tell apart". Without cost, the fastest.</item>
/// <item>Strategies: <b>margin</b> (the default above), <b>cost</b> (the cheapest), <b>speed</b> (the fastest) and
/// <b>balanced</b>: the lowest score w × cost ÷ highest cost + (1 − w) × p95 ÷ highest p95 among the eligible variants
/// (w = <c>sweep.costWeight</c>, default 0.5; ties: lower p95, then cheaper). Each explains itself in one sentence with
/// the numbers (<see cref="Rule"/>).</item>
/// <item>Variants whose error rate is more than <see cref="MaxExtraErrorRate"/> above the best variant's are never
/// fastest, cheapest or recommended (failing fast is not fast), though they may sit on a cost/latency front.</item>
/// </list>
/// The recommended variant is always on the front: a variant dominating it would be at least as cheap and at least
/// as fast, hence within the margin too (or scoring no worse, and winning the tie-break), and would have been chosen.
/// </summary>
public sealed record SweepRecommendation
{
    /// <summary>Extra error rate (absolute, 0.01 = 1 percentage point) over the best variant that disqualifies a variant.</summary>
    public const double MaxExtraErrorRate = 0.01;

    public VariantSummary? Recommended { get; init; }

    public VariantSummary? Fastest { get; init; }

    public VariantSummary? Cheapest { get; init; }

    /// <summary>The strategy that chose <see cref="Recommended"/>.</summary>
    public RecommendStrategy Strategy { get; init; }

    /// <summary>Whether the front and the choice used cost per request (every measured variant had a modeled cost).</summary>
    public bool ByCost { get; init; }

    /// <summary>The rule, in one sentence with the numbers.</summary>
    public required string Rule { get; init; }

    /// <summary>Variants left out of the choice because of their error rate.</summary>
    public IReadOnlyList<string> Disqualified { get; init; } = [];

    /// <summary>The variants with <see cref="VariantSummary.OnParetoFront"/> and <see cref="VariantSummary.Recommended"/> set.</summary>
    public static IReadOnlyList<VariantSummary> Annotate(IReadOnlyList<VariantSummary> variants, double margin, RecommendSpec? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var byCost = UsesCost(variants);
        var front = ParetoFront.Mark(variants.Select(v => Objectives(v, byCost)).ToList());
        var marked = variants.Select((v, i) => v with { OnParetoFront = front[i], Recommended = false }).ToList();
        var choice = Choose(marked, margin, strategy);
        return marked.Select(v => ReferenceEquals(v, choice.Recommended) ? v with { Recommended = true } : v).ToList();
    }

    /// <summary>Chooses the fastest, the cheapest and the recommended variant (see the type's remarks).</summary>
    public static SweepRecommendation Choose(IReadOnlyList<VariantSummary> variants, double margin, RecommendSpec? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        strategy ??= new RecommendSpec();
        var measured = variants.Where(v => v.Requests > 0).ToList();
        if (measured.Count == 0)
        {
            return new SweepRecommendation { Rule = "No variant was measured, so none is recommended." };
        }

        var bestErrorRate = measured.Min(v => v.ErrorRate);
        var eligible = measured.Where(v => v.ErrorRate <= bestErrorRate + MaxExtraErrorRate).ToList();
        var disqualified = measured.Except(eligible).Select(v => v.Variant).ToList();
        var byCost = UsesCost(variants);

        var fastest = Best(eligible, (a, b) => Order(a.LatencyMs.P95, b.LatencyMs.P95, a.CostPerRequestUsd, b.CostPerRequestUsd));
        if (!byCost)
        {
            var needsCost = strategy.Strategy is RecommendStrategy.Cost or RecommendStrategy.Balanced ? $" (strategy {Name(strategy.Strategy)} needs cost)" : "";
            return new SweepRecommendation
            {
                Recommended = fastest,
                Fastest = fastest,
                ByCost = false,
                Strategy = RecommendStrategy.Speed,
                Disqualified = disqualified,
                Rule = $"Without a cost section the fastest variant is recommended{needsCost}: {fastest.Variant}, lowest p95 ({Ms(fastest.LatencyMs.P95)}).",
            };
        }

        var cheapest = Best(eligible, (a, b) => Order(a.CostPerRequestUsd, b.CostPerRequestUsd, a.LatencyMs.P95, b.LatencyMs.P95));
        var (recommended, rule) = strategy.Strategy switch
        {
            RecommendStrategy.Cost => (cheapest, $"Strategy cost: the cheapest variant is recommended, {cheapest.Variant} at {Usd(cheapest.Per1MRequestsUsd)} per 1M requests (p95 {Ms(cheapest.LatencyMs.P95)}; the fastest, {fastest.Variant}, costs {Usd(fastest.Per1MRequestsUsd)})."),
            RecommendStrategy.Speed => (fastest, $"Strategy speed: the fastest variant is recommended, {fastest.Variant} with p95 {Ms(fastest.LatencyMs.P95)} at {Usd(fastest.Per1MRequestsUsd)} per 1M requests (the cheapest, {cheapest.Variant}, has p95 {Ms(cheapest.LatencyMs.P95)})."),
            RecommendStrategy.Balanced => Balanced(eligible, strategy.Weight),
            _ => WithinMargin(eligible, fastest, margin),
        };
        return new SweepRecommendation
        {
            Recommended = recommended,
            Fastest = fastest,
            Cheapest = cheapest,
            ByCost = true,
            Strategy = strategy.Strategy,
            Disqualified = disqualified,
            Rule = rule,
        };
    }

    /// <summary>The default: the cheapest variant within the margin of the fastest's p95.</summary>
    private static (VariantSummary, string) WithinMargin(List<VariantSummary> eligible, VariantSummary fastest, double margin)
    {
        var limit = fastest.LatencyMs.P95 * (1 + margin);
        var withinMargin = eligible.Where(v => ParetoFront.Compare(v.LatencyMs.P95, limit) <= 0).ToList();
        var recommended = Best(withinMargin, (a, b) => Order(a.CostPerRequestUsd, b.CostPerRequestUsd, a.LatencyMs.P95, b.LatencyMs.P95));
        return (recommended, $"The cheapest variant whose p95 is within {(margin * 100).ToString("0.#", CultureInfo.InvariantCulture)} % of the fastest "
            + $"({Ms(fastest.LatencyMs.P95)}, so at most {Ms(limit)}) is recommended.");
    }

    /// <summary>
    /// Power Tuning's balanced strategy: each variant scores w × cost ÷ highest cost + (1 − w) × p95 ÷ highest p95 (both
    /// terms in [0, 1], lower is better); the lowest score wins, ties to the lower p95 and then the lower cost.
    /// </summary>
    private static (VariantSummary, string) Balanced(List<VariantSummary> eligible, double weight)
    {
        var maxCost = eligible.Max(v => v.CostPerRequestUsd ?? 0);
        var maxP95 = eligible.Max(v => v.LatencyMs.P95);
        double Part(double value, double max) => max > 0 ? value / max : 0;
        double Score(VariantSummary v) => (weight * Part(v.CostPerRequestUsd ?? 0, maxCost)) + ((1 - weight) * Part(v.LatencyMs.P95, maxP95));
        var best = Best(eligible, (a, b) =>
        {
            var byScore = ParetoFront.Compare(Score(a), Score(b));
            return byScore != 0 ? byScore : Order(a.LatencyMs.P95, b.LatencyMs.P95, a.CostPerRequestUsd, b.CostPerRequestUsd);
        });
        var w = weight.ToString("0.##", CultureInfo.InvariantCulture);
        var rest = (1 - weight).ToString("0.##", CultureInfo.InvariantCulture);
        return (best, $"Strategy balanced (cost weight {w}): {best.Variant} has the lowest score of {eligible.Count}, "
            + $"{Score(best).ToString("0.000", CultureInfo.InvariantCulture)} = {w} × {Usd(best.Per1MRequestsUsd)}/{Usd(maxCost * 1e6)} per 1M + {rest} × {Ms(best.LatencyMs.P95)}/{Ms(maxP95)} p95.");
    }

    private static string Name(RecommendStrategy strategy) => strategy.ToString().ToLowerInvariant();

    private static string Usd(double? usd) => usd is { } value ? "$" + value.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    /// <summary>The objectives a variant is ranked on; NaN for a variant that was not measured (never on the front).</summary>
    public static IReadOnlyList<double> Objectives(VariantSummary variant, bool byCost)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (variant.Requests == 0)
        {
            return [double.NaN, double.NaN];
        }

        return byCost
            ? [variant.CostPerRequestUsd ?? double.NaN, variant.LatencyMs.P95]
            : [variant.LatencyMs.P95, variant.ErrorRate];
    }

    /// <summary>Cost decides when every measured variant has one; a partial set would compare modeled cost with nothing.</summary>
    public static bool UsesCost(IReadOnlyList<VariantSummary> variants)
    {
        var measured = variants.Where(v => v.Requests > 0).ToList();
        return measured.Count > 0 && measured.All(v => v.CostPerRequestUsd is { } c && double.IsFinite(c));
    }

    /// <summary>The first variant no later one beats (stable: earlier variants win exact ties).</summary>
    private static VariantSummary Best(List<VariantSummary> variants, Func<VariantSummary, VariantSummary, int> order)
    {
        var best = variants[0];
        foreach (var candidate in variants.Skip(1))
        {
            if (order(candidate, best) < 0)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Orders by a primary value with tolerance for ties, then by a secondary one.</summary>
    private static int Order(double? primaryA, double? primaryB, double? secondaryA, double? secondaryB)
    {
        var first = ParetoFront.Compare(primaryA ?? double.MaxValue, primaryB ?? double.MaxValue);
        return first != 0 ? first : ParetoFront.Compare(secondaryA ?? double.MaxValue, secondaryB ?? double.MaxValue);
    }

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
