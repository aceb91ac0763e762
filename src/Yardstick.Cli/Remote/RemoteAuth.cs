using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Identity;
using Yardstick.Cli.Commands;
using Yardstick.Core;

namespace Yardstick.Cli.Remote;

/// <summary>
/// Credentials for the Yardstick API: a function key (header <c>x-functions-key</c>) from an environment variable, an
/// Entra bearer token from <see cref="DefaultAzureCredential"/>, both, or none (a local <c>func</c> host). The key and
/// the token never appear in any message: errors name the variable or the scope instead.
/// </summary>
internal sealed partial class RemoteAuth
{
    public const string DefaultKeyVariable = "YARDSTICK_FUNCTION_KEY";
    public const string TokenScopeVariable = "YARDSTICK_TOKEN_SCOPE";
    public const string KeyHeader = "x-functions-key";

    // A token is refreshed this long before it expires, so a long gate never sends an expired one.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly string? _functionKey;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private AccessToken? _token;

    private RemoteAuth(string keyVariable, string? functionKey, string? tokenScope, TokenCredential? credential, TimeProvider time)
    {
        KeyVariable = keyVariable;
        _functionKey = functionKey;
        TokenScope = tokenScope;
        _credential = credential;
        _time = time;
    }

    /// <summary>The variable the key is read from (named in 401 messages).</summary>
    public string KeyVariable { get; }

    public string? TokenScope { get; }

    public bool SendsKey => _functionKey is not null;

    /// <summary>Reads the key and the token scope; a variable named by <c>--function-key-env</c> must be set.</summary>
    /// <param name="keyVariable"><c>--function-key-env</c>, or null for <see cref="DefaultKeyVariable"/> (optional then).</param>
    /// <param name="tokenScope"><c>--token-scope</c>, or null for <see cref="TokenScopeVariable"/>.</param>
    /// <param name="environment">Environment lookup (tests pass their own).</param>
    /// <param name="credential">Token source; <see cref="DefaultAzureCredential"/> when a scope is given and this is null.</param>
    /// <param name="time">Clock for token expiry.</param>
    /// <exception cref="InputException">The named key variable is unset or the scope is malformed.</exception>
    public static RemoteAuth Create(string? keyVariable, string? tokenScope, Func<string, string?> environment, TokenCredential? credential = null, TimeProvider? time = null)
    {
        string? key;
        if (keyVariable is not null)
        {
            if (!VariableName().IsMatch(keyVariable))
            {
                throw new InputException("--function-key-env", $"'{keyVariable}' is not an environment variable name (letters, digits and '_').");
            }

            key = Trimmed(environment(keyVariable))
                ?? throw new InputException("--function-key-env", $"environment variable '{keyVariable}' is not set; it should hold a function key of the Yardstick app.");
        }
        else
        {
            key = Trimmed(environment(DefaultKeyVariable));
        }

        var scope = Trimmed(tokenScope) ?? Trimmed(environment(TokenScopeVariable));
        if (scope is not null && scope.Any(char.IsWhiteSpace))
        {
            throw new InputException(tokenScope is null ? TokenScopeVariable : "--token-scope", "give one scope, for example api://<client-id>/.default.");
        }

        return new RemoteAuth(
            keyVariable ?? DefaultKeyVariable,
            key,
            scope,
            scope is null ? null : credential ?? new DefaultAzureCredential(),
            time ?? TimeProvider.System);
    }

    /// <summary>Adds the key header and the bearer token to a request.</summary>
    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_functionKey is not null)
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, _functionKey);
        }

        if (_credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(cancellationToken));
        }
    }

    /// <summary>What to do about a 401, naming the variable or scope in use.</summary>
    public string UnauthorizedHint()
    {
        if (_functionKey is null && TokenScope is null)
        {
            return $"no credentials were sent; set {KeyVariable} to a function key of the app (az functionapp keys list -g <group> -n <app> --query functionKeys.default -o tsv), or use --token-scope for an Entra token.";
        }

        var key = _functionKey is null ? "" : $"the function key was rejected (set {KeyVariable} to a function key of this app: az functionapp keys list -g <group> -n <app> --query functionKeys.default -o tsv)";
        var token = TokenScope is null ? "" : $"the Entra token for scope '{TokenScope}' was rejected (the scope must name the app's Entra application, e.g. api://<client-id>/.default)";
        return string.Join("; or ", new[] { key, token }.Where(s => s.Length > 0)) + ".";
    }

    /// <summary>What to do about a 403: which permission is missing, for the credential in use.</summary>
    public string ForbiddenHint() => TokenScope is not null
        ? $"the identity behind the Entra token (scope '{TokenScope}') is not allowed to call the app; assign it an app role of the app's Entra application (or add it to the allowed client applications/identities of the app's authentication settings), and check the app's access restrictions allow this machine."
        : "the app refused this caller although the key was accepted or not needed; check the app's access restrictions (Networking → Access restrictions) allow this machine's address, and that the function key is a function or host key of this app (not of another app).";

    // Requests are sent one at a time, so the cache needs no lock.
    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not { } cached || cached.ExpiresOn - RefreshMargin <= _time.GetUtcNow())
        {
            try
            {
                cached = await _credential!.GetTokenAsync(new TokenRequestContext([TokenScope!]), cancellationToken);
            }
            catch (AuthenticationFailedException e)
            {
                // Azure.Identity's messages name the credentials it tried, never a token; keep the first line.
                var reason = ApiProblem.Shorten(e.Message.Split('\n')[0]);
                throw new RemoteApiException(ExitCodes.InvalidInput, $"could not get an Entra token for scope '{TokenScope}' ({reason}); sign in with 'az login', or run where a managed or workload identity is available.");
            }

            _token = cached;
        }

        return cached.Token;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
