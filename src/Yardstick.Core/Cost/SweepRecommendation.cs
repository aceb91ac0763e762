using System.Globalization;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Cost;

/// <summary>
/// Which setting a sweep recommends, in the spirit of AWS Lambda Power Tuning's strategies ("cost", "speed", and a
/// balance of both), but with an explicit tolerance instead of a weight:
/// <list type="bullet">
/// <item><b>Front</b>: the Pareto front on (cost per request, p95 latency); without a cost section on (p95 latency,
/// error rate). Lower is better on both.</item>
/// <item><b>Fastest</b>: the lowest p95 (ties: cheaper, then listed first). <b>Cheapest</b>: the lowest cost per request
/// (ties: lower p95).</item>
/// <item><b>Recommended</b>: the cheapest variant whose p95 is within the workload's margin (<c>compare.margin</c>,
/// default 5 %) of the fastest's p95 — "pay nothing for speed you cannot tell apart". Without cost, the fastest.</item>
/// <item>Variants whose error rate is more than <see cref="MaxExtraErrorRate"/> above the best variant's are never
/// fastest, cheapest or recommended (failing fast is not fast), though they may sit on a cost/latency front.</item>
/// </list>
/// The recommended variant is always on the front: a variant dominating it would be at least as cheap and at least
/// as fast, hence within the margin too, and would have been chosen.
/// </summary>
public sealed record SweepRecommendation
{
    /// <summary>Extra error rate (absolute, 0.01 = 1 percentage point) over the best variant that disqualifies a variant.</summary>
    public const double MaxExtraErrorRate = 0.01;

    public VariantSummary? Recommended { get; init; }

    public VariantSummary? Fastest { get; init; }

    public VariantSummary? Cheapest { get; init; }

    /// <summary>Whether the front and the choice used cost per request (every measured variant had a modeled cost).</summary>
    public bool ByCost { get; init; }

    /// <summary>The rule, in one sentence with the numbers.</summary>
    public required string Rule { get; init; }

    /// <summary>Variants left out of the choice because of their error rate.</summary>
    public IReadOnlyList<string> Disqualified { get; init; } = [];

    /// <summary>The variants with <see cref="VariantSummary.OnParetoFront"/> and <see cref="VariantSummary.Recommended"/> set.</summary>
    public static IReadOnlyList<VariantSummary> Annotate(IReadOnlyList<VariantSummary> variants, double margin)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var byCost = UsesCost(variants);
        var front = ParetoFront.Mark(variants.Select(v => Objectives(v, byCost)).ToList());
        var marked = variants.Select((v, i) => v with { OnParetoFront = front[i], Recommended = false }).ToList();
        var choice = Choose(marked, margin);
        return marked.Select(v => ReferenceEquals(v, choice.Recommended) ? v with { Recommended = true } : v).ToList();
    }

    /// <summary>Chooses the fastest, the cheapest and the recommended variant (see the type's remarks).</summary>
    public static SweepRecommendation Choose(IReadOnlyList<VariantSummary> variants, double margin)
    {
        ArgumentNullException.ThrowIfNull(variants);
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
            return new SweepRecommendation
            {
                Recommended = fastest,
                Fastest = fastest,
                ByCost = false,
                Disqualified = disqualified,
                Rule = $"Without a cost section the fastest variant is recommended: lowest p95 ({Ms(fastest.LatencyMs.P95)}).",
            };
        }

        var cheapest = Best(eligible, (a, b) => Order(a.CostPerRequestUsd, b.CostPerRequestUsd, a.LatencyMs.P95, b.LatencyMs.P95));
        var limit = fastest.LatencyMs.P95 * (1 + margin);
        var withinMargin = eligible.Where(v => ParetoFront.Compare(v.LatencyMs.P95, limit) <= 0).ToList();
        var recommended = Best(withinMargin, (a, b) => Order(a.CostPerRequestUsd, b.CostPerRequestUsd, a.LatencyMs.P95, b.LatencyMs.P95));
        return new SweepRecommendation
        {
            Recommended = recommended,
            Fastest = fastest,
            Cheapest = cheapest,
            ByCost = true,
            Disqualified = disqualified,
            Rule = $"The cheapest variant whose p95 is within {(margin * 100).ToString("0.#", CultureInfo.InvariantCulture)} % of the fastest "
                + $"({Ms(fastest.LatencyMs.P95)}, so at most {Ms(limit)}) is recommended.",
        };
    }

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
