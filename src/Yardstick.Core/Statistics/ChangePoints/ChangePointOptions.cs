using System.Globalization;

namespace Yardstick.Core.Statistics.ChangePoints;

/// <summary>
/// Settings of <see cref="EDivisiveMeans"/>. The defaults are the ones the README's false-positive rate and sensitivity
/// figures were measured with (tests/Yardstick.Simulation.Tests, ChangePoints).
/// </summary>
public sealed record ChangePointOptions
{
    /// <summary>Significance level α of each permutation test: a candidate is accepted when its p-value is at most α.</summary>
    public double SignificanceLevel { get; init; } = 0.01;

    /// <summary>Permutations per test (R). The smallest attainable p-value is 1 / (R + 1); R = 199 resolves α = 0.01.</summary>
    public int Permutations { get; init; } = 199;

    /// <summary>Fewest points a segment may have on either side of a change point (Matteson &amp; James: at least 2).</summary>
    public int MinSegmentLength { get; init; } = 5;

    /// <summary>The energy distance's exponent α of |x − y|^α, in (0, 2); 1 is the usual choice (at 2 only means would count).</summary>
    public double DistanceExponent { get; init; } = 1.0;

    /// <summary>Seed of the permutations: the same series and options always give the same change points.</summary>
    public long Seed { get; init; } = 20_200_420;

    /// <summary>Most change points reported in one detection (a safety bound; a nightly series rarely has more than a few).</summary>
    public int MaxChangePoints { get; init; } = 32;

    /// <summary>The options, or an <see cref="InputException"/> naming the field out of range.</summary>
    public ChangePointOptions Validate()
    {
        if (!(SignificanceLevel is > 0 and < 1))
        {
            throw new InputException("changePoints.alpha", $"must be between 0 and 1 (exclusive); got {SignificanceLevel.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Permutations is < 19 or > 9_999)
        {
            throw new InputException("changePoints.permutations", $"must be from 19 to 9,999; got {Permutations}.");
        }

        if (1.0 / (Permutations + 1) > SignificanceLevel)
        {
            throw new InputException("changePoints.permutations", $"{Permutations} permutations cannot reach p ≤ {SignificanceLevel.ToString(CultureInfo.InvariantCulture)} (the smallest p-value is 1/(R+1)); use at least {(int)Math.Ceiling((1 / SignificanceLevel) - 1)}.");
        }

        if (MinSegmentLength is < 2 or > 1_000)
        {
            throw new InputException("changePoints.minSegment", $"must be from 2 to 1,000 points; got {MinSegmentLength}.");
        }

        if (!(DistanceExponent is > 0 and < 2))
        {
            throw new InputException("changePoints.exponent", $"must be in (0, 2); got {DistanceExponent.ToString(CultureInfo.InvariantCulture)}.");
        }

        return MaxChangePoints >= 1 ? this : throw new InputException("changePoints.max", "must be at least 1.");
    }
}
