using System.Collections.Concurrent;
using Azure.Core;

namespace Yardstick.Azure.Tests.Rest;

/// <summary>Hands out a recognisable token per scope and records the scopes asked for.</summary>
internal sealed class FakeTokenCredential : TokenCredential
{
    public const string TokenPrefix = "fake-token-";

    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<string> Scopes => [.. _scopes];

    public static string TokenFor(string scope) => TokenPrefix + scope;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            _scopes.Enqueue(scope);
        }

        return new AccessToken(TokenFor(string.Join(' ', requestContext.Scopes)), DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
