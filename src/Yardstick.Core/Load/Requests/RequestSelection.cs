namespace Yardstick.Core.Load.Requests;

/// <summary>
/// Decides which of a shard's requests an arrival sends: the per-arrival request-selection seam of the load engine.
/// </summary>
/// <remarks>
/// <para>
/// The engine numbers a shard's arrivals 0, 1, 2… in the order they fall due (the pacer thread does it, so the
/// numbering is exact whatever the connections do) and asks <see cref="Select"/> for each one. A selector must be a
/// pure function of the arrival's index — no shared cursor, no lock — so the same plan always sends the same sequence
/// of requests, however arrivals are spread over connections, and a dropped arrival does not shift the later ones.
/// The chosen index travels with the arrival as <see cref="ExchangeRequest.RequestIndex"/>; the same arrival index
/// becomes <see cref="ExchangeRequest.RowKey"/>, which picks the data row of the request's <c>${data.column}</c> holes.
/// </para>
/// <para>
/// <b>Another arrival source plugs in here</b> (production replay from a trace): a trace supplies two things per
/// arrival n — when it is due and what it sends. The "when" replaces <see cref="ArrivalSchedule"/> (intended start
/// ticks of arrival n, sharded like the open model: shard i of K takes arrivals i, i+K…); the "what" is an
/// <see cref="IRequestSelector"/> whose <see cref="Select"/> maps arrival n to the request (endpoint) recorded for it,
/// with per-arrival values (path, query, body) served as the data row for <see cref="ExchangeRequest.RowKey"/> = n.
/// Per-request metrics, checks, correlation headers and recording then work unchanged.
/// </para>
/// </remarks>
public interface IRequestSelector
{
    /// <summary>The request (index into the shard's requests) arrival <paramref name="arrivalIndex"/> sends.</summary>
    int Select(long arrivalIndex);
}

/// <summary>Builds the selector of a plan.</summary>
public static class RequestSelection
{
    /// <summary>A single request, or a weighted mix seeded by <paramref name="seed"/> (the shard's seed).</summary>
    public static IRequestSelector For(IReadOnlyList<RequestTemplate> requests, long seed) =>
        requests.Count <= 1 ? SingleRequestSelector.Instance : new WeightedRequestSelector(requests.Select(r => r.Weight).ToArray(), seed);
}

/// <summary>Every arrival sends the one request.</summary>
public sealed class SingleRequestSelector : IRequestSelector
{
    public static SingleRequestSelector Instance { get; } = new();

    public int Select(long arrivalIndex) => 0;
}

/// <summary>
/// Each arrival picks a request with probability weight ÷ total weight, from a seeded hash of its index (SplitMix64):
/// reproducible, independent across arrivals, and free of shared state.
/// </summary>
public sealed class WeightedRequestSelector : IRequestSelector
{
    private readonly double[] _cumulative;
    private readonly ulong _seed;

    /// <param name="weights">One positive weight per request.</param>
    /// <param name="seed">The shard's seed.</param>
    /// <exception cref="InputException">A weight is not positive and finite, or there is none.</exception>
    public WeightedRequestSelector(IReadOnlyList<double> weights, long seed)
    {
        if (weights.Count == 0)
        {
            throw new InputException("requests", "a mix needs at least one request.");
        }

        _cumulative = new double[weights.Count];
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (!(weights[i] > 0) || !double.IsFinite(weights[i]))
            {
                throw new InputException($"requests[{i}].weight", $"must be a positive number (was {weights[i]}).");
            }

            total += weights[i];
            _cumulative[i] = total;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }

        _cumulative[^1] = 1.0;
        _seed = (ulong)seed;
    }

    public int Select(long arrivalIndex)
    {
        // 53 random bits → [0, 1); a handful of requests, so a linear scan beats a binary search.
        var u = (Mix(_seed ^ Mix((ulong)arrivalIndex + 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));
        var cumulative = _cumulative;
        for (var i = 0; i < cumulative.Length - 1; i++)
        {
            if (u < cumulative[i])
            {
                return i;
            }
        }

        return cumulative.Length - 1;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
