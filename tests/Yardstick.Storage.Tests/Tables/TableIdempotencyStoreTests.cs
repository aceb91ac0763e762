using Yardstick.Core.Ports;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

[Collection(AzuriteFixture.Collection)]
public sealed class TableIdempotencyStoreTests(AzuriteFixture azurite)
{
    private readonly IIdempotencyStore _store = azurite.CreateIsolatedStorage().Idempotency;

    [Fact]
    public async Task ClaimAsync_ConcurrentClaimsOfOneKey_ExactlyOneWinsAndAllGetItsClaim()
    {
        var key = new string('a', 63) + "1";
        var at = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var claims = Enumerable.Range(0, 8).Select(i => new IdempotencyClaim(AzuriteFixture.NewRunId(at.AddSeconds(i)), "hash", at)).ToList();

        var answers = await Task.WhenAll(claims.Select(c => _store.ClaimAsync(key, c, CancellationToken.None)));

        var winner = Assert.Single(answers.Select(a => a.RunId).Distinct());
        Assert.Contains(claims, c => c.RunId == winner);
        Assert.All(answers, a => Assert.Equal(at, a.CreatedAt));
    }

    [Fact]
    public async Task ClaimAsync_AnotherKey_IsItsOwnClaim()
    {
        var at = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var first = new IdempotencyClaim(AzuriteFixture.NewRunId(at), "h1", at);
        var second = new IdempotencyClaim(AzuriteFixture.NewRunId(at.AddSeconds(1)), "h2", at);

        Assert.Equal(first, await _store.ClaimAsync(new string('b', 64), first, CancellationToken.None));
        Assert.Equal(second, await _store.ClaimAsync(new string('c', 64), second, CancellationToken.None));
        Assert.Equal(first, await _store.ClaimAsync(new string('b', 64), second, CancellationToken.None));
    }
}
