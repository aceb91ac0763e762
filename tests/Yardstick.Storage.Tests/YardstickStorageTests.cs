using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class YardstickStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task EnsureCreatedAsync_FreshLayout_CreatesTheThreeTablesAndTheContainer()
    {
        var storage = azurite.CreateIsolatedStorage();
        var tables = storage.Connection.CreateTableServiceClient();
        var container = storage.Connection.CreateBlobServiceClient().GetBlobContainerClient(storage.Layout.ArtifactsContainer);
        Assert.False((await container.ExistsAsync()).Value);

        await storage.EnsureCreatedAsync(CancellationToken.None);
        await storage.EnsureCreatedAsync(CancellationToken.None);

        var names = new List<string>();
        await foreach (var table in tables.QueryAsync())
        {
            names.Add(table.Name);
        }

        Assert.Contains(storage.Layout.RunsTable, names);
        Assert.Contains(storage.Layout.BaselinesTable, names);
        Assert.Contains(storage.Layout.VerdictsTable, names);
        Assert.Contains(storage.Layout.WorkloadsTable, names);
        Assert.True((await container.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Stores_NonFiniteMeasurements_RoundTrip()
    {
        // A run without a single response has no rate and no latencies: 0/0 must not break the write.
        var storage = azurite.CreateStorage();
        var run = new RunRecord
        {
            RunId = AzuriteFixture.NewRunId(),
            Workload = AzuriteFixture.UniqueName("wl"),
            ErrorRate = double.NaN,
            ThroughputRps = double.PositiveInfinity,
            P99Ms = double.NegativeInfinity,
        };

        await storage.Runs.UpsertAsync(run, CancellationToken.None);
        var stored = await storage.Runs.GetAsync(run.RunId, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.True(double.IsNaN(stored.ErrorRate));
        Assert.Equal(double.PositiveInfinity, stored.ThroughputRps);
        Assert.Equal(double.NegativeInfinity, stored.P99Ms);
    }
}
