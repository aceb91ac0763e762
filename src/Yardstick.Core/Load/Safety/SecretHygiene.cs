using System.Text.RegularExpressions;
using Yardstick.Core.Workloads;

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
}
