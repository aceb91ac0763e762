using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Functions.Hosting;

namespace Yardstick.Functions.Api;

/// <summary>The workloads this app knows: registered ones with an active version and the files deployed with it.</summary>
public sealed class KnownWorkloads(IWorkloadRegistry registry, DeployedWorkloads deployed)
{
    public async Task<bool> ContainsAsync(string name, CancellationToken cancellationToken) =>
        (await registry.VersionsAsync(name, cancellationToken)).Count > 0 || deployed.List().Any(f => f.Name == name);

    /// <summary>Registered workloads with an active version and the valid names of the files deployed with the app, sorted.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
        (await registry.ListNewestAsync(cancellationToken)).Select(v => v.Workload)
            .Concat(deployed.List().Select(f => f.Name).Where(WorkloadNames.IsValid).Select(n => n!))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
