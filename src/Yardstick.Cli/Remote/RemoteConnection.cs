using System.CommandLine;
using Azure.Core;
using Yardstick.Core;
using Yardstick.Core.Load;

namespace Yardstick.Cli.Remote;

/// <summary>Where the Yardstick app is and how to authenticate; shared by <c>submit</c> and <c>gate --endpoint</c>.</summary>
internal sealed record RemoteConnection
{
    /// <summary><c>--endpoint</c>: the app's base URL (checked by <see cref="RemoteEndpoint.Parse"/>).</summary>
    public required string Endpoint { get; init; }

    /// <summary><c>--function-key-env</c>; null reads <see cref="RemoteAuth.DefaultKeyVariable"/> when it is set.</summary>
    public string? FunctionKeyVariable { get; init; }

    /// <summary><c>--token-scope</c>; null reads <see cref="RemoteAuth.TokenScopeVariable"/>.</summary>
    public string? TokenScope { get; init; }

    /// <summary>Environment lookup for the key, the scope and <c>GITHUB_STEP_SUMMARY</c> (tests pass their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public RemoteHttpSettings Http { get; init; } = new();

    /// <summary>Token source for <see cref="TokenScope"/>; null uses <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Checks the endpoint and reads the credentials; throws <see cref="InputException"/> on bad input.</summary>
    internal YardstickApiClient CreateClient()
    {
        var endpoint = RemoteEndpoint.Parse(Endpoint);
        var auth = RemoteAuth.Create(FunctionKeyVariable, TokenScope, Environment, Credential, Http.Time);
        return new YardstickApiClient(endpoint, auth, Http);
    }
}

/// <summary>
/// The command-line options of the remote mode, for any command that offers it: add <see cref="All"/> to the command,
/// then <see cref="Read"/> the connection once <c>--endpoint</c> is given.
/// </summary>
internal sealed class RemoteCliOptions
{
    public RemoteCliOptions(bool endpointRequired, string timeoutDescription)
    {
        Endpoint = new Option<string?>("--endpoint")
        {
            Description = "Base URL of a deployed Yardstick app (https://<app>.azurewebsites.net): the run happens there.",
            Required = endpointRequired,
        };
        FunctionKeyEnv = new Option<string?>("--function-key-env")
        {
            Description = $"Environment variable holding the app's function key (default {RemoteAuth.DefaultKeyVariable}). The key is never printed.",
        };
        TokenScope = new Option<string?>("--token-scope")
        {
            Description = $"Authenticate with an Entra token for this scope via DefaultAzureCredential, e.g. api://<client-id>/.default (default: {RemoteAuth.TokenScopeVariable}).",
        };
        Timeout = new Option<string?>("--timeout") { Description = timeoutDescription };
    }

    // A year: anything longer is a typo, and TimeSpan arithmetic stays far from overflow.
    private const double MaxTimeoutSeconds = 365 * 24 * 3600;

    public Option<string?> Endpoint { get; }

    public Option<string?> FunctionKeyEnv { get; }

    public Option<string?> TokenScope { get; }

    public Option<string?> Timeout { get; }

    public Symbol[] All => [Endpoint, FunctionKeyEnv, TokenScope, Timeout];

    public RemoteConnection Read(ParseResult parse) => new()
    {
        Endpoint = parse.GetValue(Endpoint) ?? "",
        FunctionKeyVariable = parse.GetValue(FunctionKeyEnv),
        TokenScope = parse.GetValue(TokenScope),
    };

    /// <summary><c>--timeout</c> as a duration (<c>90s</c>, <c>30m</c>, <c>1h</c>, or plain seconds); <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="InputException">Not a positive duration.</exception>
    public TimeSpan? ReadTimeout(ParseResult parse, TimeSpan? fallback)
    {
        var text = parse.GetValue(Timeout);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DurationText.TryParse(text, out var duration) && duration > TimeSpan.Zero && duration.TotalSeconds <= MaxTimeoutSeconds
            ? duration
            : throw new InputException("--timeout", $"'{text}' is not a positive duration (for example 90s, 30m, 1h).");
    }
}
