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
        foreach (var (name, value) in workload.Target.Headers)
        {
            if (Redaction.IsSecretHeader(name) && !SecretReferences.HasReferences(value))
            {
                throw new InputException(
                    $"target.headers.{name}",
                    "looks like a secret but is written literally; put it in an environment variable and write ${env:NAME} (workloads are stored with every run).");
            }
        }

        foreach (Match match in SecretQuery().Matches(workload.Target.Url))
        {
            if (!SecretReferences.HasReferences(match.Groups[2].Value))
            {
                throw new InputException(
                    "target.url",
                    $"query parameter '{match.Groups[1].Value}' looks like a secret but is written literally; use ${{env:NAME}} instead.");
            }
        }
    }
}
