using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>
/// Loads workload files (YAML or JSON): parse into a positioned tree, apply <c>--set</c> overrides, check the JSON
/// schema (with "did you mean" for unknown fields), map onto <see cref="Workload"/>, then run the semantic checks.
/// Every problem found is reported at once in a <see cref="WorkloadValidationException"/>.
/// </summary>
public static class WorkloadLoader
{
    /// <summary>The built-in process command the CLI resolves to the sample target shipped with Yardstick.</summary>
    public const string SampleTargetCommand = "sample-target";

    /// <summary>Loads and validates a workload file. The file's folder becomes <see cref="Workload.SourceDirectory"/>.</summary>
    /// <param name="path">YAML or JSON file.</param>
    /// <param name="overrides"><c>path=value</c> strings from <c>--set</c>, applied in order before validation.</param>
    /// <param name="environment">Looks up <c>${env:NAME}</c> references; defaults to the process environment.</param>
    /// <exception cref="WorkloadValidationException">The file is missing, unreadable or not valid; lists every problem.</exception>
    public static Workload LoadFile(string path, IReadOnlyList<string>? overrides = null, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist." : $"the file cannot be read: {ex.Message}";
            throw new WorkloadValidationException(path, [new WorkloadError(path, "", null, null, reason)]);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return Load(text, path, overrides, environment, directory);
    }

    /// <summary>Loads and validates workload text (JSON when it starts with <c>{</c>, YAML otherwise).</summary>
    /// <param name="text">The document.</param>
    /// <param name="sourceName">Named in errors in place of a file path.</param>
    /// <param name="overrides"><c>path=value</c> strings from <c>--set</c>, applied in order before validation.</param>
    /// <param name="environment">Looks up <c>${env:NAME}</c> references; defaults to the process environment.</param>
    /// <exception cref="WorkloadValidationException">The text is not a valid workload; lists every problem.</exception>
    public static Workload LoadText(string text, string sourceName, IReadOnlyList<string>? overrides = null, Func<string, string?>? environment = null) =>
        Load(text, sourceName, overrides, environment, sourceDirectory: null);

    /// <summary>
    /// The process working directory as an absolute path: relative paths resolve against the workload file's folder
    /// (or the current directory for workloads loaded from text). Null when the workload starts no process or sets none.
    /// </summary>
    public static string? ResolveWorkingDirectory(Workload workload)
    {
        var raw = workload.Target.Process?.WorkingDirectory;
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return Path.GetFullPath(raw, workload.SourceDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>Reads the <c>name</c> (and <c>schedule</c>) of a document without validating it; for catalogs listing broken files.</summary>
    internal static (bool Parsed, string? Name, string? Schedule) Peek(string text)
    {
        try
        {
            var root = DocumentParser.Parse(text, "peek") as DocMap;
            return (root is not null, (root?.Get("name") as DocScalar)?.Text, (root?.Get("schedule") as DocScalar)?.Text);
        }
        catch (WorkloadValidationException)
        {
            return (false, null, null);
        }
    }

    private static Workload Load(string text, string source, IReadOnlyList<string>? overrides, Func<string, string?>? environment, string? sourceDirectory)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = DocumentParser.Parse(text, source);
        if (root is not DocMap)
        {
            var mark = root.Mark;
            throw new WorkloadValidationException(source, [new WorkloadError(source, "", mark?.Line, mark?.Column, $"a workload is a mapping of fields (name, target, load...), found {root.KindName}.")]);
        }

        var sink = new ErrorSink(source, root);
        if (overrides is { Count: > 0 })
        {
            WorkloadOverrides.Apply(root, overrides, sink);
        }

        WorkloadSchema.Validate(root, sink);
        var workload = WorkloadMapper.Map(root, sink, sourceDirectory);
        WorkloadSemantics.Check(workload, root, environment, sink);
        if (sink.HasErrors)
        {
            throw sink.ToException();
        }

        return workload;
    }
}
