namespace Yardstick.Core.Workloads;

/// <summary>How a sweep picks its recommended variant (<c>sweep.recommend</c>); see <c>Cost.SweepRecommendation</c>.</summary>
public enum RecommendStrategy
{
    /// <summary>The cheapest variant whose p95 is within <c>compare.margin</c> of the fastest (the default).</summary>
    Margin,

    /// <summary>The cheapest variant (ties: the faster).</summary>
    Cost,

    /// <summary>The fastest variant: lowest p95 (ties: the cheaper).</summary>
    Speed,

    /// <summary>The lowest weighted score: weight × cost ÷ highest cost + (1 − weight) × p95 ÷ highest p95.</summary>
    Balanced,
}

/// <summary><c>sweep.recommend</c>: a strategy, and for <see cref="RecommendStrategy.Balanced"/> the weight of cost (<c>sweep.costWeight</c>).</summary>
public sealed record RecommendSpec
{
    /// <summary>Default weight of cost in the balanced score (AWS Lambda Power Tuning's default too).</summary>
    public const double DefaultWeight = 0.5;

    public RecommendStrategy Strategy { get; init; } = RecommendStrategy.Margin;

    /// <summary>Weight of cost in the balanced score, in [0, 1]: 0 is <c>speed</c>, 1 is <c>cost</c>.</summary>
    public double Weight { get; init; } = DefaultWeight;
}
