using System.Text.RegularExpressions;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// <c>${env:NAME}</c> references in workload values. Validation checks that they resolve; activities substitute
/// them just before sending, so the secret never enters a plan, a history event, a log or a stored result.
/// </summary>
public static partial class SecretReferences
{
    /// <summary>The only <c>${env:NAME}</c> names a deployed host resolves (app settings, Key Vault references among them).</summary>
    public const string DeployedHostPrefix = "YARDSTICK_SECRET_";

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    public static bool HasReferences(string? value) => value is not null && Reference().IsMatch(value);

    public static IEnumerable<string> Names(string? value) =>
        value is null ? [] : Reference().Matches(value).Select(m => m.Groups[1].Value);

    /// <summary>Substitutes every reference; throws <see cref="InputException"/> naming <paramref name="field"/> when a variable is unset.</summary>
    public static string Resolve(string value, string field, Func<string, string?> lookup) =>
        Reference().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            return lookup(name) ?? throw new InputException(field, NotSet(name));
        });

    /// <summary>
    /// The one message for a reference that does not resolve. It depends on the name only — never on whether a variable
    /// the host refuses to resolve exists — and tells how to name a secret for a deployed host.
    /// </summary>
    public static string NotSet(string name) =>
        $"environment variable '{name}' (referenced as ${{env:{name}}}) is not set" + (name.StartsWith(DeployedHostPrefix, StringComparison.Ordinal)
            ? "."
            : $"; a deployed Yardstick resolves only {DeployedHostPrefix}* names (app settings, which may be Key Vault references).");

    /// <summary>Resolves all references in a request template from the environment.</summary>
    public static RequestTemplate ResolveTemplate(RequestTemplate template, Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        return template with
        {
            Url = Resolve(template.Url, "target.url", lookup),
            Body = template.Body is null ? null : Resolve(template.Body, "target.body", lookup),
            Headers = template.Headers.Select(h => h with { Value = Resolve(h.Value, $"target.headers.{h.Name}", lookup) }).ToList(),
        };
    }
}
