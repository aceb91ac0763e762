using Azure.Data.Tables;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Storage.Tables;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

[Collection(AzuriteFixture.Collection)]
public sealed class TableRunStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 15, 2, TimeSpan.Zero);

    private readonly YardstickStorage _storage = azurite.CreateStorage();

    [Fact]
    public async Task UpsertAsync_EveryField_RoundTripsThroughGetAndList()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var run = FullRecord(workload, RunIds.Create(T0, Guid.NewGuid()));

        await _storage.Runs.UpsertAsync(run, CancellationToken.None);
        var byId = await _storage.Runs.GetAsync(run.RunId, CancellationToken.None);
        var listed = await _storage.Runs.ListAsync(workload, 10, CancellationToken.None);

        AssertSameRun(run, byId);
        AssertSameRun(run, Assert.Single(listed));
    }

    [Fact]
    public async Task UpsertAsync_MinimalRecord_RoundTripsDefaultsAndNulls()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var run = new RunRecord { RunId = RunIds.Create(T0, Guid.NewGuid()), Workload = workload };

        await _storage.Runs.UpsertAsync(run, CancellationToken.None);

        AssertSameRun(run, await _storage.Runs.GetAsync(run.RunId, CancellationToken.None));
    }

    [Fact]
    public async Task UpsertAsync_SameRunTwice_KeepsOneRowWithTheLatestValues()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var runId = RunIds.Create(T0, Guid.NewGuid());
        var running = new RunRecord { RunId = runId, Workload = workload, Status = RunStatus.Running };
        var completed = running with { Status = RunStatus.Completed, Requests = 1234, CompletedAt = T0.AddMinutes(2) };

        await _storage.Runs.UpsertAsync(running, CancellationToken.None);
        await _storage.Runs.UpsertAsync(completed, CancellationToken.None);
        await _storage.Runs.UpsertAsync(completed, CancellationToken.None);

        var listed = await _storage.Runs.ListAsync(workload, 10, CancellationToken.None);
        AssertSameRun(completed, Assert.Single(listed));
        var table = RawTable();
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == workload).ToListAsync();
        Assert.Single(rows);
        var indexRows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == TableRunStore.IndexPartition && e.RowKey == runId).ToListAsync();
        Assert.Single(indexRows);
    }

    [Fact]
    public async Task UpsertAsync_Row_CarriesSchemaVersionAndDescendingRowKey()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var run = new RunRecord { RunId = RunIds.Create(T0, Guid.NewGuid()), Workload = workload };

        await _storage.Runs.UpsertAsync(run, CancellationToken.None);

        var row = (await RawTable().GetEntityAsync<TableEntity>(workload, RunIds.DescendingRowKey(run.RunId))).Value;
        Assert.Equal(RunRecord.CurrentSchemaVersion, row.GetInt32("SchemaVersion"));
        Assert.Equal(run.RunId, row.GetString("RunId"));
        var index = (await RawTable().GetEntityAsync<TableEntity>(TableRunStore.IndexPartition, run.RunId)).Value;
        Assert.Equal(workload, index.GetString("Workload"));
        Assert.Equal(RunRecord.CurrentSchemaVersion, index.GetInt32("SchemaVersion"));
    }

    [Fact]
    public async Task ListAsync_RunsWrittenOutOfOrder_ReturnsNewestFirstAndHonoursLast()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var ids = Enumerable.Range(0, 5).Select(i => RunIds.Create(T0.AddMinutes(i), Guid.NewGuid())).ToArray();
        foreach (var index in new[] { 2, 0, 4, 1, 3 })
        {
            await _storage.Runs.UpsertAsync(new RunRecord { RunId = ids[index], Workload = workload }, CancellationToken.None);
        }

        var newestThree = await _storage.Runs.ListAsync(workload, 3, CancellationToken.None);
        var all = await _storage.Runs.ListAsync(workload, 100, CancellationToken.None);

        Assert.Equal([ids[4], ids[3], ids[2]], newestThree.Select(r => r.RunId));
        Assert.Equal(Enumerable.Reverse(ids), all.Select(r => r.RunId));
    }

    [Fact]
    public async Task ListAsync_OtherWorkloads_AreNotIncluded()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var other = workload + "-other";
        await _storage.Runs.UpsertAsync(new RunRecord { RunId = RunIds.Create(T0, Guid.NewGuid()), Workload = workload }, CancellationToken.None);
        await _storage.Runs.UpsertAsync(new RunRecord { RunId = RunIds.Create(T0, Guid.NewGuid()), Workload = other }, CancellationToken.None);

        var listed = await _storage.Runs.ListAsync(workload, 10, CancellationToken.None);

        Assert.Equal(workload, Assert.Single(listed).Workload);
        Assert.Empty(await _storage.Runs.ListAsync(AzuriteFixture.UniqueName("none"), 10, CancellationToken.None));
    }

    [Fact]
    public async Task UpsertAsync_WorkloadWithCharactersNotAllowedInKeys_IsEscapedAndReadBack()
    {
        var workload = AzuriteFixture.UniqueName("wl") + "/a\\b#c?d%e~f|g\u0001";
        var run = new RunRecord { RunId = RunIds.Create(T0, Guid.NewGuid()), Workload = workload };

        await _storage.Runs.UpsertAsync(run, CancellationToken.None);

        Assert.Equal(workload, (await _storage.Runs.GetAsync(run.RunId, CancellationToken.None))?.Workload);
        Assert.Equal(run.RunId, Assert.Single(await _storage.Runs.ListAsync(workload, 5, CancellationToken.None)).RunId);
    }

    [Fact]
    public async Task GetAsync_UnknownRun_ReturnsNull()
    {
        Assert.Null(await _storage.Runs.GetAsync(RunIds.Create(T0, Guid.NewGuid()), CancellationToken.None));
    }

    [Theory]
    [InlineData("not-a-run-id")]
    [InlineData("20261129-081502-ZZZZZZ")]
    public async Task GetAsync_InvalidRunId_ThrowsInputExceptionNamingRunId(string runId)
    {
        var error = await Assert.ThrowsAsync<InputException>(() => _storage.Runs.GetAsync(runId, CancellationToken.None));
        Assert.Equal("runId", error.Field);
    }

    [Fact]
    public async Task ListAsync_LastBelowOne_ThrowsInputExceptionNamingLast()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => _storage.Runs.ListAsync("w", 0, CancellationToken.None));
        Assert.Equal("last", error.Field);
    }

    private TableClient RawTable() => _storage.Connection.CreateTableServiceClient().GetTableClient(_storage.Layout.RunsTable);

    private static RunRecord FullRecord(string workload, string runId) => new()
    {
        RunId = runId,
        Workload = workload,
        Status = RunStatus.Degraded,
        CreatedAt = new DateTimeOffset(2026, 11, 29, 9, 15, 2, TimeSpan.FromHours(1)).AddTicks(1234567),
        StartedAt = T0.AddSeconds(3).AddTicks(7),
        CompletedAt = T0.AddMinutes(5).AddTicks(9_999_999),
        Host = "functions",
        PhaseSeconds = new Dictionary<string, double> { ["plan"] = 0.125, ["measured"] = 60.000001, ["persist"] = 1e-9 },
        Requests = 9_876_543_210,
        Errors = 42,
        ErrorRate = 42.0 / 9_876_543_210,
        ThroughputRps = 164_609.0535,
        P50Ms = 1.25,
        P90Ms = 2.5,
        P95Ms = 3.75,
        P99Ms = 12.345678901234,
        MaxMs = 250,
        DroppedArrivals = 17,
        ShardsSucceeded = 15,
        ShardsTotal = 16,
        Verdict = "regression",
        Drift = "p95,p99",
        Tags = new Dictionary<string, string> { ["commit"] = "abc123", ["pipeline"] = "ci/main #7", ["Üñí"] = "çødé \"quoted\"" },
        SettingsKey = "memory=2048",
        SettingsHash = "sha256:0123456789abcdef",
        BlobPrefix = $"{workload}/{runId}/",
        FailureReason = "shard 3: connection refused",
        ColdStartP50Ms = 1150.5,
        CostPer1MUsd = 0.4125,
        WorkloadVersion = 7,
        WorkloadHash = new string('a', 64),
        Environment = "local · linux 6.8.0.1021 · 4 cores · .NET 10.0.1 x64 · workstation GC · Yardstick 1.0.0; target url",
        EnvironmentHash = "0123456789abcdef",
    };

    private static void AssertSameRun(RunRecord expected, RunRecord? actual)
    {
        Assert.NotNull(actual);

        // Records compare dictionaries by reference, so compare those by content and the rest with the record's equality.
        Assert.Equal(expected.PhaseSeconds.OrderBy(p => p.Key), actual.PhaseSeconds.OrderBy(p => p.Key));
        Assert.Equal(expected.Tags.OrderBy(p => p.Key), actual.Tags.OrderBy(p => p.Key));
        Assert.Equal(expected, actual with { PhaseSeconds = expected.PhaseSeconds, Tags = expected.Tags });
    }
}
