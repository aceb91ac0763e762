using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Functions.Api;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Functions.Hosting;

/// <summary>A workload file deployed with the app, found by the <c>name:</c> inside it.</summary>
/// <param name="Name">The workload's name.</param>
/// <param name="Source">Repository-style path for messages and the run record (<c>workloads/hello.yaml</c>).</param>
/// <param name="Text">The file's text, as the orchestration receives it.</param>
/// <param name="Schedule">The workload's <c>schedule:</c> (set by <see cref="DeployedWorkloads.Scheduled"/>).</param>
public sealed record DeployedWorkload(string Name, string Source, string Text, string? Schedule = null);

/// <summary>
/// The <c>workloads/</c> folder deployed with the app (copied to the output by the project file). Read on every
/// call: a handful of small files, and it keeps "what is deployed" and "what runs" the same thing.
/// </summary>
public sealed class DeployedWorkloads(FunctionsHostSettings settings, YardstickHostOptions options)
{
    public string Directory => settings.WorkloadDirectory;

    /// <summary>Every workload file, loaded or with its errors; empty when the folder is missing.</summary>
    public IReadOnlyList<WorkloadFile> List()
    {
        try
        {
            return WorkloadCatalog.List(Directory, options.Environment);
        }
        catch (InputException)
        {
            return [];
        }
    }

    /// <summary>The deployed workload named <paramref name="name"/>, valid or not (the caller validates it with its overrides).</summary>
    /// <exception cref="UnknownWorkloadException">No file carries that name.</exception>
    /// <exception cref="InputException">Several files carry it.</exception>
    public DeployedWorkload Find(string name)
    {
        var files = List();
        var matches = files.Where(f => f.Name == name).ToList();
        if (matches.Count > 1)
        {
            throw new InputException("workload", $"several deployed files are named '{ApiText.Clip(name)}': {string.Join(", ", matches.Select(m => Path.GetFileName(m.Path)))}.");
        }

        if (matches.Count == 0)
        {
            var available = files.Where(f => f.Name is not null).Select(f => f.Name!).Distinct().Order(StringComparer.Ordinal).ToList();
            throw new UnknownWorkloadException(name, available);
        }

        return Read(matches[0].Path, name);
    }

    /// <summary>
    /// The valid workloads that have a <c>schedule</c>; files that do not load but may be scheduled are added to
    /// <paramref name="skipped"/>.
    /// </summary>
    public IReadOnlyList<DeployedWorkload> Scheduled(ICollection<WorkloadFile> skipped)
    {
        List<WorkloadFile> files;
        try
        {
            files = WorkloadCatalog.List(Directory, options.Environment).ToList();
        }
        catch (InputException)
        {
            return [];
        }

        var scheduled = WorkloadCatalog.Scheduled(Directory, skipped, options.Environment).ToDictionary(w => w.Name, w => w.Schedule, StringComparer.Ordinal);
        return files
            .Where(f => f.IsValid && scheduled.ContainsKey(f.Workload!.Name))
            .Select(f => Read(f.Path, f.Workload!.Name) with { Schedule = scheduled[f.Workload!.Name] })
            .ToList();
    }

    private static DeployedWorkload Read(string path, string name) =>
        new(name, "workloads/" + Path.GetFileName(path), File.ReadAllText(path));
}
