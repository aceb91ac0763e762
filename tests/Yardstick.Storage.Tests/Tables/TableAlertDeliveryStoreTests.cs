using Yardstick.Core.Ports;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

/// <summary>The alert-delivery state machine on the real table service (Azurite): one claim wins, stale ETags lose.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TableAlertDeliveryStoreTests(AzuriteFixture azurite)
{
    private readonly IAlertDeliveryStore _store = azurite.CreateStorage().Alerts;

    [Fact]
    public async Task TryAddAsync_SecondClaimOfTheSameAlert_Refused_FirstRowKept()
    {
        var row = Row(AzuriteFixture.NewRunId());

        var first = await _store.TryAddAsync(row, CancellationToken.None);
        var second = await _store.TryAddAsync(row with { Detail = "second" }, CancellationToken.None);

        Assert.NotNull(first?.ETag);
        Assert.Null(second);
        var stored = await _store.GetAsync(row.RunId, row.Key, CancellationToken.None);
        Assert.Equal((AlertDeliveryState.Sending, null, "checkout", "slack-0", 1), (stored!.State, stored.Detail, stored.Workload, stored.Channel, stored.Claims));
    }

    [Fact]
    public async Task TryReplaceAsync_WithTheClaimsETag_Succeeds_WithAStaleOne_Refused()
    {
        var claim = (await _store.TryAddAsync(Row(AzuriteFixture.NewRunId()), CancellationToken.None))!;

        var sent = await _store.TryReplaceAsync(claim with { State = AlertDeliveryState.Sent, Attempts = 2, Detail = "delivered" }, CancellationToken.None);
        var stale = await _store.TryReplaceAsync(claim with { State = AlertDeliveryState.Failed, Detail = "late" }, CancellationToken.None);

        Assert.NotNull(sent);
        Assert.Null(stale);
        var stored = (await _store.GetAsync(claim.RunId, claim.Key, CancellationToken.None))!;
        Assert.Equal((AlertDeliveryState.Sent, 2, "delivered"), (stored.State, stored.Attempts, stored.Detail));
    }

    [Fact]
    public async Task Issues_ThreadWithSlashesAndAnyText_RoundTrips()
    {
        var thread = $"{AzuriteFixture.UniqueName("w")}|regression|octo/bench#?\\";

        Assert.Null(await _store.GetIssueAsync(thread, CancellationToken.None));
        await _store.SetIssueAsync(thread, 42, CancellationToken.None);
        Assert.Equal(42, await _store.GetIssueAsync(thread, CancellationToken.None));
    }

    [Fact]
    public async Task Silences_StoredPerWorkload_EndedOnesLeftOut()
    {
        var workload = AzuriteFixture.UniqueName("quiet");
        var now = DateTimeOffset.UtcNow;
        await _store.AddSilenceAsync(workload, new(now.AddHours(-3), now.AddHours(-1), "over"), CancellationToken.None);
        await _store.AddSilenceAsync(workload, new(now.AddHours(-1), now.AddHours(1), "load test of the DB"), CancellationToken.None);
        await _store.AddSilenceAsync(AzuriteFixture.UniqueName("other"), new(now.AddHours(-1), now.AddHours(1), "other workload"), CancellationToken.None);

        var windows = await _store.ListSilencesAsync(workload, now, CancellationToken.None);

        var window = Assert.Single(windows);
        Assert.Equal("load test of the DB", window.Reason);
        Assert.True(window.Covers(now));
    }

    private static AlertDelivery Row(string runId) => new()
    {
        RunId = runId,
        Key = "regression-slack-0",
        Workload = "checkout",
        Condition = "regression",
        Channel = "slack-0",
        Claims = 1,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
