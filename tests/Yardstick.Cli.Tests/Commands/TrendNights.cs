using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>A stored history for the trend and dashboard commands, on the harness's Azurite storage.</summary>
internal static class TrendNights
{
    /// <summary>90 nights, p95 100 ms then 125 ms from night 60; night 30 failed, night 61 a regression, night 70 promoted.</summary>
    public static async Task<(string Name, List<RunRecord> Runs)> StoreAsync(CliHarness cli, string prefix = "trend")
    {
        var name = AzuriteFixture.UniqueName(prefix);
        var now = DateTimeOffset.UtcNow;
        var runs = Enumerable.Range(0, 90).Select(n =>
        {
            var at = now.AddDays(-89.5 + n);
            var p95 = (n < 60 ? 100 : 125) + (n % 4);
            return new RunRecord
            {
                RunId = RunIds.Create(at, Guid.NewGuid()),
                Workload = name,
                Status = n == 30 ? RunStatus.Failed : RunStatus.Completed,
                CreatedAt = at,
                Requests = n == 30 ? 0 : 3000,
                Errors = 1,
                ErrorRate = 1 / 3000.0,
                ThroughputRps = 50,
                P50Ms = n == 30 ? null : p95 / 2.0,
                P95Ms = n == 30 ? null : p95,
                P99Ms = n == 30 ? null : p95 * 1.4,
                Verdict = n == 30 ? null : n == 61 ? "regression" : "equivalent",
                SettingsHash = "0123456789abcdef",
                ColdStartP50Ms = n == 30 ? null : 800 + (n % 5),
                CostPer1MUsd = n == 30 ? null : 0.42,
            };
        }).ToList();
        var storage = cli.Storage;
        await storage.RunStore.UpsertBatchAsync(runs, CancellationToken.None);
        await storage.Baselines.PromoteAsync(new BaselineKey(name, "default"), [runs[70].RunId], "test", "after the step", null, CancellationToken.None);
        return (name, runs);
    }
}
