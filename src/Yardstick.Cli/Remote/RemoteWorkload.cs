using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Remote;

/// <summary>A workload checked locally and the body that starts it remotely.</summary>
internal sealed record PreparedWorkload(Workload Workload, StartRunBody Body);

/// <summary>
/// Validates a workload file on the client before anything is sent (bad input exits 2 without a request), then builds
/// the <see cref="StartRunBody"/>: the file's text as written, the <c>--set</c> overrides, tags and baseline.
/// </summary>
internal static class RemoteWorkload
{
    /// <summary>
    /// Stand-ins for <c>${env:NAME}</c> values during client-side validation, tried in order. The remote worker resolves
    /// references from ITS environment (the app's settings / Key Vault references), so the client must neither require
    /// the server's secrets nor read its own variables of the same name (they may differ, and a secret need not exist on
    /// a build agent at all). Whether a variable is set is checked by the server, which answers 400 naming the field.
    /// A stand-in still has to fit where the reference sits: a whole URL (<c>url: ${env:TARGET_URL}</c>) needs an
    /// absolute URL, a part of one (<c>https://${env:APP}.azurewebsites.net</c>, a port) needs a plain token; the
    /// workload is valid when one stand-in passes every check.
    /// </summary>
    private static readonly string[] Placeholders = ["http://127.0.0.1", "1"];

    /// <exception cref="InputException">The file is missing or not a valid workload (every problem listed), or an override is malformed.</exception>
    public static PreparedWorkload Prepare(FileInfo file, IReadOnlyList<string> overrides, IReadOnlyDictionary<string, string> tags, string? baseline)
    {
        if (!file.Exists)
        {
            throw new InputException("file", $"workload file '{file.FullName}' does not exist.");
        }

        var workload = Validate(file.FullName, overrides);
        var text = File.ReadAllText(file.FullName);
        var body = new StartRunBody
        {
            WorkloadText = text,
            Overrides = overrides,
            Tags = MergeTags(overrides, tags),
            Baseline = string.IsNullOrWhiteSpace(baseline) ? null : baseline.Trim(),
        };
        return new PreparedWorkload(workload, body);
    }

    /// <summary>
    /// Run tags: <c>--set tags.NAME=value</c> (they stay in the overrides too, where the server applies them to the
    /// workload) plus <c>--tag NAME=value</c>, which wins on a clash because it is the more explicit of the two.
    /// </summary>
    internal static Dictionary<string, string> MergeTags(IReadOnlyList<string> overrides, IReadOnlyDictionary<string, string> tags)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in overrides)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var path = eq > 0 ? entry[..eq].Trim() : "";
            if (path.StartsWith("tags.", StringComparison.Ordinal) && path.Length > "tags.".Length)
            {
                merged[path["tags.".Length..]] = entry[(eq + 1)..].Trim();
            }
        }

        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>Validates a workload file as the client can (secret references get stand-ins; the server resolves its own).</summary>
    internal static Workload Validate(string path, IReadOnlyList<string> overrides)
    {
        WorkloadValidationException? first = null;
        foreach (var placeholder in Placeholders)
        {
            try
            {
                return WorkloadLoader.LoadFile(path, overrides, _ => placeholder);
            }
            catch (WorkloadValidationException e)
            {
                // Problems unrelated to references fail with every stand-in alike; report the first attempt's list.
                first ??= e;
            }
        }

        throw first!;
    }
}
