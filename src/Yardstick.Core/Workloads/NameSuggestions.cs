namespace Yardstick.Core.Workloads;

/// <summary>"Did you mean" suggestions: the closest candidate by edit distance (case-insensitive, transpositions count one).</summary>
public static class NameSuggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>, or null when none is close enough to be a likely typo.
    /// With <paramref name="always"/> the closest candidate is returned whatever the distance.
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates, bool always = false)
    {
        var list = candidates as IReadOnlyCollection<string> ?? candidates.ToList();

        // A truncated name ("flex", "instanceMemory") is a likelier intent than a short name a few edits away.
        if (input.Length >= 3)
        {
            var extended = list
                .Where(c => c.Length > input.Length && c.StartsWith(input, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Length)
                .FirstOrDefault();
            if (extended is not null)
            {
                return extended;
            }
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            var d = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        if (best is null || always)
        {
            return best;
        }

        var lower = input.ToLowerInvariant();
        var bestLower = best.ToLowerInvariant();
        var prefix = lower.Length >= 3 && (bestLower.StartsWith(lower, StringComparison.Ordinal) || lower.StartsWith(bestLower, StringComparison.Ordinal));
        return prefix || bestDistance <= Tolerance(input.Length) ? best : null;
    }

    /// <summary><c> did you mean 'x'?</c> or an empty string.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } best ? $"; did you mean '{best}'?" : "";

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }

    // Short names tolerate fewer edits, or every two-letter typo would "match" something.
    private static int Tolerance(int length) => length switch
    {
        <= 3 => 1,
        <= 6 => 2,
        _ => Math.Min(4, length / 3),
    };
}
