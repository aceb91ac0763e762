using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Cost;

/// <summary>The repository's checked-in catalog and small builders for usage profiles.</summary>
internal static class CostTestData
{
    private static readonly Lazy<PricingCatalog> LazyCatalog = new(() => PricingCatalog.Load(CatalogPath));

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root (Functions.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string CatalogPath => Path.Combine(RepositoryRoot, PricingCatalog.DefaultPath);

    /// <summary>The checked-in catalog: East US figures from AZURE-FACTS §1.</summary>
    public static PricingCatalog Catalog => LazyCatalog.Value;

    public static BusyInterval Ms(double startMs, double endMs) => new((long)(startMs * 1000), (long)(endMs * 1000));

    public static InstanceUsage Instance(string id, long requests, params BusyInterval[] busy) =>
        new() { InstanceId = id, Requests = requests, MaxConcurrency = 1, Busy = UsageProfile.Union(busy) };
}
