namespace Yardstick.Core.Verdicts;

/// <summary>
/// The order of a paired A/B gate's rounds: per pair, which side runs first. ABBA-balanced — each consecutive two pairs
/// hold one reference-first and one candidate-first pair, which of the two comes first drawn from the seed — so a
/// linear drift, and the warm-up advantage of whoever runs second, fall on both sides equally.
/// </summary>
public static class PairedSchedule
{
    /// <summary>The run variant of the reference's rounds; the candidate's rounds are the run's own (variant <c>""</c>).</summary>
    public const string ReferenceVariant = "reference";

    /// <summary>
    /// The measured turns of a paired run whose variants are <c>["", <see cref="ReferenceVariant"/>]</c> (candidate index
    /// 0, reference index 1): per pair both sides, the reference first where <see cref="ReferenceFirst"/> says so.
    /// </summary>
    public static IReadOnlyList<Runs.RoundTurn> Turns(int pairs, long seed)
    {
        var referenceFirst = ReferenceFirst(pairs, unchecked((int)(seed ^ (seed >>> 32))));
        return referenceFirst
            .SelectMany((first, round) => first
                ? new[] { new Runs.RoundTurn(round, 1), new Runs.RoundTurn(round, 0) }
                : [new Runs.RoundTurn(round, 0), new Runs.RoundTurn(round, 1)])
            .ToList();
    }

    /// <summary>
    /// The origin of a URL as written (<c>scheme://authority</c>, up to the path), without parsing it, so a target URL
    /// whose host is a <c>${env:NAME}</c> reference (resolved only when the request is sent) has one too.
    /// </summary>
    public static string OriginOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var end = url.IndexOfAny(['/', '?', '#'], scheme < 0 ? 0 : scheme + 3);
        return end < 0 ? url : url[..end];
    }

    /// <summary>
    /// The request URL a reference round sends: <paramref name="url"/> with the target's origin
    /// (<paramref name="targetOrigin"/>, scheme://host:port) replaced by the reference's. A URL on another origin (a mix
    /// may name a full URL of its own) is left as it is.
    /// </summary>
    public static string OnReference(string url, string targetOrigin, string referenceOrigin)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith(targetOrigin, StringComparison.OrdinalIgnoreCase) && (url.Length == targetOrigin.Length || url[targetOrigin.Length] is '/' or '?')
            ? referenceOrigin + url[targetOrigin.Length..]
            : url;
    }

    /// <summary>For each of <paramref name="pairs"/> pairs, whether the reference runs first. Same seed, same order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one pair.</exception>
    public static IReadOnlyList<bool> ReferenceFirst(int pairs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        var random = new Random(seed);
        var order = new List<bool>(pairs);
        while (order.Count < pairs)
        {
            var first = random.Next(2) == 0;
            order.Add(first);
            if (order.Count < pairs)
            {
                order.Add(!first);
            }
        }

        return order;
    }
}
