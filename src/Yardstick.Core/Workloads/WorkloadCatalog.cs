namespace Yardstick.Core.Workloads;

/// <summary>One workload file of a folder: loaded, or with the problems that kept it from loading.</summary>
/// <param name="Path">The file.</param>
/// <param name="Name">The <c>name:</c> written in the file (read even when the file is invalid), if any.</param>
/// <param name="Workload">The loaded workload; null when the file is invalid.</param>
/// <param name="Errors">Problems found; empty when the file loaded.</param>
public sealed record WorkloadFile(string Path, string? Name, Workload? Workload, IReadOnlyList<WorkloadError> Errors)
{
    public bool IsValid => Workload is not null;
}

/// <summary>
/// The workload files of a folder (<c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c> directly in it; sub-folders such as
/// <c>schema/</c> and <c>pricing/</c> are not workloads). Workloads are found by the <c>name:</c> inside the file,
/// not by the file name.
/// </summary>
public static class WorkloadCatalog
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Every workload file of <paramref name="directory"/>, sorted by path, each loaded or with its errors.</summary>
    /// <exception cref="InputException">The folder does not exist.</exception>
    public static IReadOnlyList<WorkloadFile> List(string directory, Func<string, string?>? environment = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException("workloads", $"the workload folder '{directory}' does not exist.");
        }

        return Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => Load(f, environment))
            .ToList();
    }

    /// <summary>The workload named <paramref name="name"/> in <paramref name="directory"/>.</summary>
    /// <exception cref="WorkloadValidationException">The file with that name does not load (its errors).</exception>
    /// <exception cref="InputException">No file, or several files, carry that name; the message lists the names available.</exception>
    public static Workload Find(string directory, string name, Func<string, string?>? environment = null)
    {
        var files = List(directory, environment);
        var matches = files.Where(f => f.Name == name).ToList();
        switch (matches.Count)
        {
            case 1 when matches[0].Workload is { } workload:
                return workload;
            case 1:
                throw new WorkloadValidationException(matches[0].Path, matches[0].Errors);
            case > 1:
                throw new InputException("workload", $"several files in '{directory}' are named '{name}': {string.Join(", ", matches.Select(m => System.IO.Path.GetFileName(m.Path)))}; names must be unique.");
        }

        var available = files.Where(f => f.Name is not null).Select(f => f.Name!).Distinct().Order(StringComparer.Ordinal).ToList();
        var hint = NameSuggestions.DidYouMean(name, available);
        var list = available.Count > 0 ? $" Available: {string.Join(", ", available)}." : " The folder holds no workload files.";
        throw new InputException("workload", $"no workload named '{name}' in '{directory}'{(hint.Length > 0 ? hint : ".")}{list}");
    }

    /// <summary>
    /// The valid workloads that have a <c>schedule</c> (any: <c>nightly</c>, <c>weekly</c>, <c>hourly</c> or an expression;
    /// the timer decides which are due). Files that fail to load but have (or may have) a schedule are skipped and, when
    /// given, added to <paramref name="skipped"/> so the caller can report them without failing the other runs.
    /// </summary>
    public static IEnumerable<Workload> Scheduled(string directory, ICollection<WorkloadFile>? skipped = null, Func<string, string?>? environment = null)
    {
        var result = new List<Workload>();
        foreach (var file in List(directory, environment))
        {
            if (file.Workload is { } workload)
            {
                if (workload.Schedule is not null)
                {
                    result.Add(workload);
                }
            }
            else if (skipped is not null && Peek(file.Path) is var peek && (!peek.Parsed || peek.Schedule is not null))
            {
                // A file too broken to read its schedule might be scheduled; report it rather than drop it silently.
                skipped.Add(file);
            }
        }

        return result;
    }

    private static WorkloadFile Load(string path, Func<string, string?>? environment)
    {
        try
        {
            var workload = WorkloadLoader.LoadFile(path, environment: environment);
            return new WorkloadFile(path, workload.Name, workload, []);
        }
        catch (WorkloadValidationException ex)
        {
            return new WorkloadFile(path, Peek(path).Name, null, ex.Errors);
        }
    }

    private static (bool Parsed, string? Name, string? Schedule) Peek(string path)
    {
        try
        {
            return WorkloadLoader.Peek(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return (false, null, null);
        }
    }
}
