using System.Text.RegularExpressions;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Secrets must come from the environment (<c>${env:NAME}</c>), never be written into a workload: the workload
/// is stored with the run (plan, history), so a literal key would end up in storage. This check refuses
/// literal values in secret-looking headers and query parameters.
/// </summary>
public static partial class SecretHygiene
{
    [GeneratedRegex(@"[?&](code|key|sig|signature|token|access_token|secret|password|pwd|apikey|api-key|subscription-key)=([^&#]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();

    public static void EnsureNoLiteralSecrets(Workload workload)
    {
        Check("target", workload.Target.Headers, workload.Target.Url);
        for (var i = 0; i < workload.Requests.Count; i++)
        {
            Check($"requests[{i}]", workload.Requests[i].Headers, workload.Requests[i].Url);
        }
    }

    // A ${data.column} value comes from the dataset, which is never stored with the run (only its hash), so it counts as a reference.
    private static bool IsReference(string value) => SecretReferences.HasReferences(value) || Requests.TemplateText.HasHoles(value);

    private static void Check(string field, IReadOnlyDictionary<string, string> headers, string url)
    {
        foreach (var (name, value) in headers)
        {
            if (Redaction.IsSecretHeader(name) && !IsReference(value))
            {
                throw new InputException(
                    $"{field}.headers.{name}",
                    "looks like a secret but is written literally; put it in an environment variable and write ${env:NAME} (workloads are stored with every run).");
            }
        }

        foreach (Match match in SecretQuery().Matches(url))
        {
            if (!IsReference(match.Groups[2].Value))
            {
                throw new InputException(
                    $"{field}.url",
                    $"query parameter '{match.Groups[1].Value}' looks like a secret but is written literally; use ${{env:NAME}} instead.");
            }
        }
    }

    /// <summary>
    /// Checks what a host stores, not only what it runs: the document as written (every field, so a body's
    /// <c>password:</c> and a header an override later replaces count too) and each override's value. The loaded
    /// workload (<see cref="EnsureNoLiteralSecrets(Workload)"/>) sees only the result of the overrides, while the run keeps the
    /// text and the overrides apart, and both are stored.
    /// </summary>
    /// <exception cref="InputException">A literal secret, naming its field (or <c>overrides[i]</c>).</exception>
    public static void EnsureNoLiteralSecrets(string text, string source, IReadOnlyList<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        Walk(DocumentParser.Parse(text, source), DocPath.Root, "");
        for (var i = 0; i < overrides.Count; i++)
        {
            var separator = overrides[i].IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue; // malformed: the loader names it
            }

            var path = overrides[i][..separator];
            var value = overrides[i][(separator + 1)..];
            var name = path[(path.LastIndexOf('.') + 1)..];
            if ((IsSecretField(path, name) && LooksLiteral(value)) || LiteralSecretQuery(value) is not null
                || (name == "body" && LiteralSecretMember(value) is not null))
            {
                throw new InputException(
                    $"overrides[{i}]",
                    $"sets '{Api(path)}' to a literal secret; overrides are stored with the run: set ${{env:NAME}} instead.");
            }
        }
    }

    private static void Walk(DocNode node, DocPath path, string name)
    {
        switch (node)
        {
            case DocMap map:
                foreach (var entry in map.Entries)
                {
                    Walk(entry.Value, path.Key(entry.Key), entry.Key);
                }

                break;
            case DocSeq seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    Walk(seq.Items[i], path.Index(i), name);
                }

                break;
            case DocScalar { Kind: ScalarKind.String } scalar:
                var field = path.ToString();
                if (IsSecretField(field, name) && LooksLiteral(scalar.Text))
                {
                    throw new InputException(field, "looks like a secret but is written literally; put it in an environment variable and write ${env:NAME} (workloads are stored with every run).");
                }

                if (name == "body" && LiteralSecretMember(scalar.Text) is { } member)
                {
                    throw new InputException(field, $"member '{member}' looks like a secret but is written literally in the body; write ${{env:NAME}} there instead (workloads are stored with every run).");
                }

                if (LiteralSecretQuery(scalar.Text) is { } parameter)
                {
                    throw new InputException(field, $"query parameter '{parameter}' looks like a secret but is written literally; use ${{env:NAME}} instead.");
                }

                break;
        }
    }

    /// <summary>A header (any <c>headers</c> map) by the header rules, any other field by its name.</summary>
    private static bool IsSecretField(string path, string name) =>
        path.Contains("headers.", StringComparison.Ordinal) ? Redaction.IsSecretHeader(name) : Redaction.IsSecretName(name);

    private static bool LooksLiteral(string value) => value.Length > 0 && !IsReference(value);

    private static string? LiteralSecretQuery(string value)
    {
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (Match match in SecretQuery().Matches(value))
        {
            if (!IsReference(match.Groups[2].Value))
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    /// <summary>A JSON member (<c>"password": "…"</c>) or form field (<c>password=…</c>) of a body whose name is a secret's and whose value is literal.</summary>
    private static string? LiteralSecretMember(string body)
    {
        foreach (Match match in BodyMember().Matches(body))
        {
            var (name, value) = match.Groups[1].Success ? (match.Groups[1].Value, match.Groups[2].Value) : (match.Groups[3].Value, match.Groups[4].Value);
            if (Redaction.IsSecretName(name) && LooksLiteral(value))
            {
                return name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"""([^""\\]{1,100})""\s*:\s*""((?:[^""\\]|\\.)*)""|(?:^|&)([A-Za-z0-9_.-]{1,100})=([^&]*)")]
    private static partial Regex BodyMember();

    private static string Api(string path) => path.Length > 80 ? path[..80] + "…" : path;
}
