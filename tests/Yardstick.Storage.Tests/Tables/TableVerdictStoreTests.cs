using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

[Collection(AzuriteFixture.Collection)]
public sealed class TableVerdictStoreTests(AzuriteFixture azurite)
{
    private readonly IVerdictStore _store = azurite.CreateStorage().Verdicts;

    [Fact]
    public async Task UpsertAsync_EveryField_RoundTrips()
    {
        var runId = AzuriteFixture.NewRunId();
        var baselineRuns = new[] { AzuriteFixture.NewRunId(), AzuriteFixture.NewRunId() };
        var full = new VerdictRow(runId, "p95", "regression", 101.5, 123.25, 1.2143, 1.15, 1.29, 0.0012, "run-level Mann-Whitney",
            "p95 rose from 101.5 ms to 123.25 ms (×1.21, 99% CI 1.15–1.29), beyond the 5% margin.", baselineRuns);
        var sparse = new VerdictRow(runId, "p(95) < 200ms", "pass", null, 123.25, null, null, null, null, "threshold", "p95 123.25 ms < 200 ms.", []);

        await _store.UpsertAsync([full, sparse], CancellationToken.None);
        var rows = await _store.ListAsync(runId, CancellationToken.None);

        Assert.Equal(2, rows.Count);
        AssertSameRow(full, rows.Single(r => r.Metric == "p95"));
        AssertSameRow(sparse, rows.Single(r => r.Metric == "p(95) < 200ms"));
    }

    [Fact]
    public async Task UpsertAsync_SameMetricAgain_ReplacesTheRow()
    {
        var runId = AzuriteFixture.NewRunId();
        var first = new VerdictRow(runId, "errorRate", "inconclusive", 0.001, 0.002, 2, 0.5, 8, 0.2, "Newcombe", "first", []);
        var second = first with { Kind = "equivalent", Explanation = "second", PValue = null };

        await _store.UpsertAsync([first], CancellationToken.None);
        await _store.UpsertAsync([second], CancellationToken.None);

        AssertSameRow(second, Assert.Single(await _store.ListAsync(runId, CancellationToken.None)));
    }

    [Fact]
    public async Task UpsertAsync_MoreRowsThanOneTransactionAcrossRuns_StoresAllOfThem()
    {
        var runA = AzuriteFixture.NewRunId();
        var runB = AzuriteFixture.NewRunId();
        var rows = Enumerable.Range(0, 130)
            .Select(i => new VerdictRow(runA, $"metric/{i:D3}#?", "equivalent", i, i, 1, 0.9, 1.1, 0.5, "block bootstrap", $"row {i}", [runB]))
            .Append(new VerdictRow(runB, "p50", "improvement", 10, 8, 0.8, 0.75, 0.85, 0.001, "block bootstrap", "faster", []))
            .ToList();

        await _store.UpsertAsync(rows, CancellationToken.None);

        var storedA = await _store.ListAsync(runA, CancellationToken.None);
        Assert.Equal(130, storedA.Count);
        Assert.Equal(rows.Take(130).Select(r => r.Metric).Order(StringComparer.Ordinal), storedA.Select(r => r.Metric).Order(StringComparer.Ordinal));
        Assert.Equal("p50", Assert.Single(await _store.ListAsync(runB, CancellationToken.None)).Metric);
    }

    [Fact]
    public async Task ListAsync_RunWithoutVerdicts_IsEmpty()
    {
        Assert.Empty(await _store.ListAsync(AzuriteFixture.NewRunId(), CancellationToken.None));
    }

    [Fact]
    public async Task UpsertAsync_InvalidRunId_ThrowsInputException()
    {
        var row = new VerdictRow("nope", "p95", "pass", null, null, null, null, null, null, "threshold", "", []);
        Assert.Equal("runId", (await Assert.ThrowsAsync<InputException>(() => _store.UpsertAsync([row], CancellationToken.None))).Field);
    }

    private static void AssertSameRow(VerdictRow expected, VerdictRow actual)
    {
        Assert.Equal(expected.BaselineRunIds, actual.BaselineRunIds);
        Assert.Equal(expected, actual with { BaselineRunIds = expected.BaselineRunIds });
    }
}
