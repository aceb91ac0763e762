using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Functions.Api;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Functions.Hosting;

/// <summary>A workload the app can run by name: a registered version, or a file deployed with the app.</summary>
/// <param name="Name">The workload's name.</param>
/// <param name="Source">Where the text came from, for messages and the run record: <c>registry:hello@v3</c> or <c>workloads/hello.yaml</c>.</param>
/// <param name="Text">The text, as the orchestration receives it.</param>
/// <param name="Schedule">The workload's <c>schedule:</c> (set by <see cref="DeployedWorkloads.ScheduledAsync"/>).</param>
public sealed record DeployedWorkload(string Name, string Source, string Text, string? Schedule = null)
{
    /// <summary>The registered version, or null for a file deployed with the app.</summary>
    public int? Version { get; init; }

    /// <summary>The text's content hash (<see cref="WorkloadContentHash"/>).</summary>
    public string ContentHash => WorkloadContentHash.Of(Text);
}

/// <summary>A runnable workload with its validated model (its <c>schedule</c>, for timers).</summary>
public sealed record LoadedWorkload(DeployedWorkload Deployed, Workload Workload);

/// <summary>
/// The workloads the app runs by name: the newest active version in the workload registry (<c>PUT /api/workloads/{name}</c>)
/// and, for names nobody registered, the <c>workloads/</c> folder deployed with the app (copied to the output by the project
/// file) — the packaged files are the defaults a registered version replaces. Read on every call: a handful of small files
/// and one registry query per workload, and it keeps "what is deployed" and "what runs" the same thing.
/// </summary>
public sealed class DeployedWorkloads(FunctionsHostSettings settings, YardstickHostOptions options, IWorkloadRegistry registry)
{
    public string Directory => settings.WorkloadDirectory;

    /// <summary>Every packaged workload file, loaded or with its errors; empty when the folder is missing.</summary>
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

    /// <summary>
    /// The workload named <paramref name="name"/>: its newest registered version, else the packaged file — valid or not
    /// (the caller validates it with its overrides).
    /// </summary>
    /// <exception cref="UnknownWorkloadException">Neither the registry nor a packaged file has that name.</exception>
    /// <exception cref="InputException">Several packaged files carry it.</exception>
    public async Task<DeployedWorkload> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (WorkloadNames.IsValid(name) && await RegisteredAsync(name, cancellationToken) is { } registered)
        {
            return registered;
        }

        var files = List();
        var matches = files.Where(f => f.Name == name).ToList();
        if (matches.Count > 1)
        {
            throw new InputException("workload", $"several deployed files are named '{ApiText.Clip(name)}': {string.Join(", ", matches.Select(m => Path.GetFileName(m.Path)))}.");
        }

        if (matches.Count == 0)
        {
            var registeredNames = (await registry.ListNewestAsync(cancellationToken)).Select(v => v.Workload);
            var available = files.Where(f => f.Name is not null).Select(f => f.Name!).Concat(registeredNames).Distinct().Order(StringComparer.Ordinal).ToList();
            throw new UnknownWorkloadException(name, available);
        }

        return Read(matches[0].Path, name);
    }

    /// <summary>
    /// Every runnable workload, by name: the newest registered version where there is one, else the packaged file. Files
    /// and versions that do not load (a broken file; a version whose <c>${env:}</c> setting was removed since it was pushed)
    /// are added to <paramref name="skipped"/> instead.
    /// </summary>
    public async Task<IReadOnlyList<LoadedWorkload>> AllAsync(ICollection<WorkloadFile> skipped, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, LoadedWorkload>(StringComparer.Ordinal);
        var registeredNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var version in await registry.ListNewestAsync(cancellationToken))
        {
            registeredNames.Add(version.Workload);
            var text = await registry.GetTextAsync(version.Workload, version.Version, cancellationToken);
            if (text is null)
            {
                continue;
            }

            var deployed = new DeployedWorkload(version.Workload, version.Source, text) { Version = version.Version };
            try
            {
                result[version.Workload] = new LoadedWorkload(deployed, WorkloadLoader.LoadText(text, version.Source, environment: options.Environment));
            }
            catch (WorkloadValidationException e)
            {
                skipped.Add(new WorkloadFile(version.Source, version.Workload, null, e.Errors));
            }
        }

        foreach (var file in List())
        {
            if (file.Workload is { } workload)
            {
                if (!registeredNames.Contains(workload.Name))
                {
                    result.TryAdd(workload.Name, new LoadedWorkload(Read(file.Path, workload.Name), workload));
                }
            }
            else if (file.Name is null || !registeredNames.Contains(file.Name))
            {
                skipped.Add(file);
            }
        }

        return result.Values.OrderBy(w => w.Deployed.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The runnable workloads that have a <c>schedule</c> (see <see cref="AllAsync"/>; the timer decides which are due), with
    /// <see cref="DeployedWorkload.Schedule"/> set. Packaged files that do not load but have (or may have) a schedule, and
    /// registered versions pushed with a schedule that no longer load, are added to <paramref name="skipped"/>.
    /// </summary>
    public async Task<IReadOnlyList<DeployedWorkload>> ScheduledAsync(ICollection<WorkloadFile> skipped, CancellationToken cancellationToken)
    {
        var broken = new List<WorkloadFile>();
        var all = await AllAsync(broken, cancellationToken);
        var registered = (await registry.ListNewestAsync(cancellationToken)).ToDictionary(v => v.Source, StringComparer.Ordinal);
        var packagedMaybeScheduled = new List<WorkloadFile>();
        try
        {
            _ = WorkloadCatalog.Scheduled(Directory, packagedMaybeScheduled, options.Environment).ToList();
        }
        catch (InputException)
        {
            // No packaged folder: nothing of it is scheduled.
        }

        var packagedPaths = packagedMaybeScheduled.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var file in broken)
        {
            if (registered.TryGetValue(file.Path, out var version) ? version.Schedule is not null : packagedPaths.Contains(file.Path))
            {
                skipped.Add(file);
            }
        }

        return all.Where(w => w.Workload.Schedule is not null).Select(w => w.Deployed with { Schedule = w.Workload.Schedule }).ToList();
    }

    private async Task<DeployedWorkload?> RegisteredAsync(string name, CancellationToken cancellationToken)
    {
        if (await registry.NewestAsync(name, cancellationToken) is not { } version
            || await registry.GetTextAsync(name, version.Version, cancellationToken) is not { } text)
        {
            return null;
        }

        return new DeployedWorkload(name, version.Source, text) { Version = version.Version };
    }

    private static DeployedWorkload Read(string path, string name) =>
        new(name, "workloads/" + Path.GetFileName(path), File.ReadAllText(path));
}
