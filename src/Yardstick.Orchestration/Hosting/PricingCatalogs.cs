using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Finds the pricing catalog of a run: <c>cost.pricingFile</c> (relative to the workload's folder); else, next to a
/// workload in a repository, the repository's <c>workloads/pricing/azure-functions.json</c> (the file
/// <c>yardstick pricing refresh</c> updates); else the host's default copy.
/// </summary>
public static class PricingCatalogs
{
    public static PricingCatalog Load(CostSpec spec, string? workloadDirectory, YardstickHostOptions options) =>
        PricingCatalog.Load(Find(spec, workloadDirectory, options));

    public static string Find(CostSpec spec, string? workloadDirectory, YardstickHostOptions options)
    {
        if (spec.PricingFile is { } file)
        {
            return Path.GetFullPath(file, workloadDirectory ?? AppContext.BaseDirectory);
        }

        for (var dir = workloadDirectory is null ? null : new DirectoryInfo(workloadDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, PricingCatalog.DefaultPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return options.PricingCatalogPath
            ?? throw new InputException("cost.pricingFile", $"no pricing catalog found: set cost.pricingFile, or keep the workload inside a repository with {PricingCatalog.DefaultPath}.");
    }
}
