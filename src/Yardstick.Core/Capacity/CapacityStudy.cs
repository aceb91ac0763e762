namespace Yardstick.Core.Capacity;

/// <summary>One sweep variant's capacity search in a capacity study: its answer, or why its settings could not be applied.</summary>
public sealed record VariantCapacity
{
    /// <summary>The variant as the sweep names it (<c>instanceMemoryMB=2048</c>, a grid cell's pairs).</summary>
    public required string Variant { get; init; }

    public CapacityResult? Result { get; init; }

    /// <summary>Why the variant was not searched (its settings failed to apply); null when it was.</summary>
    public string? Failure { get; init; }
}

/// <summary>
/// A capacity search per sweep variant — "how much load at our SLO, and at what price, for each setting" — with the
/// two answers a study asks for: the variant with the highest maximum sustainable rate, and the one whose requests cost
/// least at its capacity (modeled cost per 1M requests of the passing step at that rate), each in one sentence.
/// </summary>
public sealed record CapacityStudy
{
    public required IReadOnlyList<VariantCapacity> Variants { get; init; }

    /// <summary>The variant with the highest maximum sustainable rate (null when no variant passed a step).</summary>
    public string? HighestCapacity { get; init; }

    /// <summary>The variant with the lowest cost per 1M requests at its capacity (null when none was priced).</summary>
    public string? CheapestAtCapacity { get; init; }

    public required string Explanation { get; init; }

    public static CapacityStudy From(IReadOnlyList<VariantCapacity> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        static string R(double r) => $"{r:0.#}/s";
        var searched = variants.Where(v => v.Result?.MaxSustainableRate is not null).ToList();
        var highest = searched.OrderByDescending(v => v.Result!.MaxSustainableRate).ThenBy(v => v.Variant, StringComparer.Ordinal).FirstOrDefault();
        var priced = searched.Where(v => v.Result!.Per1MRequestsAtCapacityUsd is not null).ToList();
        var cheapest = priced.OrderBy(v => v.Result!.Per1MRequestsAtCapacityUsd).ThenBy(v => v.Variant, StringComparer.Ordinal).FirstOrDefault();

        var sentences = new List<string>();
        if (highest is null)
        {
            sentences.Add("No variant passed a step: each one's capacity is below its start rate (or its settings could not be applied).");
        }
        else
        {
            var h = highest.Result!;
            var interval = h.ConfidentLower is { } low && (h.ConfidentLower != h.Lower || h.ConfidentUpper != h.Upper)
                ? $" (with sampling uncertainty {R(low)}–{(h.ConfidentUpper is { } up ? R(up) : "?")})"
                : "";
            sentences.Add($"Highest capacity: {highest.Variant} at {R(h.MaxSustainableRate!.Value)}{interval}"
                + (searched.Count > 1 ? $", against {string.Join(", ", searched.Where(v => v != highest).Select(v => $"{v.Variant} {R(v.Result!.MaxSustainableRate!.Value)}"))}." : "."));
        }

        if (cheapest is not null)
        {
            var usd = cheapest.Result!.Per1MRequestsAtCapacityUsd!.Value;
            sentences.Add($"Cheapest per request at capacity: {cheapest.Variant}, {usd:0.####} USD per 1M requests at {R(cheapest.Result.MaxSustainableRate!.Value)}"
                + (priced.Count > 1 ? $" (others: {string.Join(", ", priced.Where(v => v != cheapest).Select(v => $"{v.Variant} {v.Result!.Per1MRequestsAtCapacityUsd:0.####}"))})." : "."));
        }

        var failed = variants.Where(v => v.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            sentences.Add($"Not searched: {string.Join("; ", failed.Select(v => $"{v.Variant} ({v.Failure})"))}.");
        }

        return new CapacityStudy
        {
            Variants = variants,
            HighestCapacity = highest?.Variant,
            CheapestAtCapacity = cheapest?.Variant,
            Explanation = string.Join(' ', sentences),
        };
    }
}
