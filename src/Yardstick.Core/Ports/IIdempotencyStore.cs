namespace Yardstick.Core.Ports;

/// <summary>What an <c>Idempotency-Key</c> stands for: the run it started and the request that started it.</summary>
/// <param name="RunId">The run the first request with this key started (also its Durable instance id).</param>
/// <param name="RequestHash">SHA-256 (hex) of the first request's meaning (endpoint, workload, overrides, tags, …).</param>
/// <param name="CreatedAt">When the key was first used.</param>
public sealed record IdempotencyClaim(string RunId, string RequestHash, DateTimeOffset CreatedAt);

/// <summary>
/// Remembers which run each <c>Idempotency-Key</c> started. The first request with a key records its claim atomically
/// (an insert that fails when the row exists); every later request with the key gets that first claim back, so two
/// concurrent requests with one key can never start two runs.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Records <paramref name="claim"/> under <paramref name="keyHash"/> unless a claim is there already.</summary>
    /// <param name="keyHash">SHA-256 (hex, 64 characters) of caller, endpoint and key; never the key itself.</param>
    /// <param name="claim">The claim of this request.</param>
    /// <param name="cancellationToken">Cancels the storage calls.</param>
    /// <returns>The stored claim: <paramref name="claim"/> when this request was first, else the first request's.</returns>
    Task<IdempotencyClaim> ClaimAsync(string keyHash, IdempotencyClaim claim, CancellationToken cancellationToken);
}
