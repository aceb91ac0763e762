namespace Yardstick.Core.Load.Requests;

/// <summary>
/// What one exchange sends, as the engine hands it to a connection: the request chosen for the arrival and the keys
/// that make its variable parts reproducible. A value type passed by value: no allocation per request.
/// </summary>
/// <param name="RequestIndex">Index into the shard's requests (<see cref="ShardPlan.Requests"/>, the transport's <see cref="RequestCatalog"/>).</param>
/// <param name="Sequence">Unique per exchange within the shard (0, 1, 2…): keys the request's trace id.</param>
/// <param name="RowKey">Keys the data row the request's <c>${data.column}</c> holes take (open model: the arrival's
/// index; closed-model journeys: the virtual user's walk, so every step of one walk shares a row).</param>
/// <param name="IntendedTicks">Intended start (Stopwatch ticks) the latency check measures from; 0 = the exchange's own start.</param>
public readonly record struct ExchangeRequest(int RequestIndex, long Sequence, long RowKey, long IntendedTicks)
{
    /// <summary>The shard's first request with no variable parts: what a transport of one request sends by default.</summary>
    public static ExchangeRequest First => default;
}
