using System.Text.RegularExpressions;
using Yardstick.Core;

namespace Yardstick.Storage;

/// <summary>
/// Names of the tables and the blob container. The defaults are the contract of ARCHITECTURE.md → Storage;
/// <see cref="WithPrefix"/> gives isolated copies (tests, side-by-side environments in one account).
/// </summary>
public sealed partial record StorageLayout
{
    public static StorageLayout Default { get; } = new();

    public string RunsTable { get; init; } = "Runs";

    public string BaselinesTable { get; init; } = "Baselines";

    public string VerdictsTable { get; init; } = "Verdicts";

    /// <summary>Registered workload versions (see <see cref="Tables.TableWorkloadRegistry"/>).</summary>
    public string WorkloadsTable { get; init; } = "Workloads";

    public string ArtifactsContainer { get; init; } = "yardstick-runs";

    /// <summary>Datasets read by <c>data.blob: datasets/&lt;name&gt;</c> (created by the first <c>yardstick data push</c>).</summary>
    public string DatasetsContainer { get; init; } = "datasets";

    /// <summary>Which run each <c>Idempotency-Key</c> of the API started (created on first use).</summary>
    public string IdempotencyTable { get; init; } = "Idempotency";

    /// <summary>One row per alert of a run (its delivery state) and the GitHub issue each workload's condition files into (created on first use).</summary>
    public string AlertsTable { get; init; } = "Alerts";

    /// <summary>
    /// Prefixes every name: <c>t1</c> gives tables <c>t1Runs</c>, <c>t1Baselines</c>, <c>t1Verdicts</c>, <c>t1Workloads</c> and container
    /// <c>t1-yardstick-runs</c> (datasets in <c>t1-datasets</c>). The prefix must be lowercase letters and digits and start with a letter.
    /// </summary>
    public StorageLayout WithPrefix(string prefix)
    {
        if (!PrefixPattern().IsMatch(prefix))
        {
            throw new InputException("storage.prefix", $"'{prefix}' must be 1–20 lowercase letters or digits, starting with a letter.");
        }

        return new StorageLayout
        {
            RunsTable = prefix + RunsTable,
            BaselinesTable = prefix + BaselinesTable,
            VerdictsTable = prefix + VerdictsTable,
            WorkloadsTable = prefix + WorkloadsTable,
            IdempotencyTable = prefix + IdempotencyTable,
            AlertsTable = prefix + AlertsTable,
            ArtifactsContainer = prefix + "-" + ArtifactsContainer,
            DatasetsContainer = prefix + "-" + DatasetsContainer,
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9]{0,19}$")]
    private static partial Regex PrefixPattern();
}
