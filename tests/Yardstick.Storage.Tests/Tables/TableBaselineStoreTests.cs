using Microsoft.Extensions.Time.Testing;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

[Collection(AzuriteFixture.Collection)]
public sealed class TableBaselineStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);

    private IBaselineStore Store => azurite.CreateStorage(_time).Baselines;

    [Fact]
    public async Task PromoteAsync_FirstPromotion_BecomesCurrentAndFirstHistoryRow()
    {
        var key = NewKey();
        var runs = NewRuns(3);

        var promoted = await Store.PromoteAsync(key, runs, "alice", "first baseline", null, CancellationToken.None);
        var current = await Store.GetCurrentAsync(key, CancellationToken.None);
        var history = await Store.HistoryAsync(key, 10, CancellationToken.None);

        Assert.NotNull(current);
        Assert.False(string.IsNullOrEmpty(promoted.ETag));
        Assert.Equal(promoted.ETag, current.ETag);
        AssertBaseline(key, runs, BaselineModes.Current, T0, "alice", "first baseline", current);
        AssertBaseline(key, runs, BaselineModes.Current, T0, "alice", "first baseline", Assert.Single(history));
    }

    [Fact]
    public async Task PromoteAsync_WithCurrentETag_ReplacesCurrentAndKeepsEveryHistoryRowUnchanged()
    {
        var key = NewKey();
        var first = NewRuns(1);
        var second = NewRuns(2);
        var third = NewRuns(1);

        var b1 = await Store.PromoteAsync(key, first, "alice", null, null, CancellationToken.None);
        var historyAfterFirst = await Store.HistoryAsync(key, 10, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var b2 = await Store.PromoteAsync(key, second, BaselineModes.Rolling(5), "nightly", "rolling", b1.ETag, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var b3 = await Store.PromoteAsync(key, third, "bob", "hotfix", b2.ETag, CancellationToken.None);

        var history = await Store.HistoryAsync(key, 10, CancellationToken.None);
        Assert.Equal(b3.ETag, (await Store.GetCurrentAsync(key, CancellationToken.None))?.ETag);
        Assert.Equal(3, history.Count);
        AssertBaseline(key, third, BaselineModes.Current, T0.AddHours(2), "bob", "hotfix", history[0]);
        AssertBaseline(key, second, "rolling(5)", T0.AddHours(1), "nightly", "rolling", history[1]);
        AssertBaseline(key, first, BaselineModes.Current, T0, "alice", null, history[2]);

        // History rows are never rewritten: the oldest still has the ETag it had before the later promotions.
        Assert.Equal(Assert.Single(historyAfterFirst).ETag, history[2].ETag);
        Assert.Equal(2, (await Store.HistoryAsync(key, 2, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task PromoteAsync_StaleETag_ThrowsConflictAndWritesNothing()
    {
        var key = NewKey();
        var b1 = await Store.PromoteAsync(key, NewRuns(1), null, null, null, CancellationToken.None);
        var b2 = await Store.PromoteAsync(key, NewRuns(1), null, null, b1.ETag, CancellationToken.None);

        var error = await Assert.ThrowsAsync<BaselineConflictException>(
            () => Store.PromoteAsync(key, NewRuns(1), null, null, b1.ETag, CancellationToken.None));

        Assert.Equal(key, error.Key);
        Assert.Equal(b2.ETag, (await Store.GetCurrentAsync(key, CancellationToken.None))?.ETag);
        Assert.Equal(2, (await Store.HistoryAsync(key, 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task PromoteAsync_NoExpectedETagButCurrentExists_ThrowsConflict()
    {
        var key = NewKey();
        await Store.PromoteAsync(key, NewRuns(1), null, null, null, CancellationToken.None);

        await Assert.ThrowsAsync<BaselineConflictException>(() => Store.PromoteAsync(key, NewRuns(1), null, null, null, CancellationToken.None));
        Assert.Single(await Store.HistoryAsync(key, 10, CancellationToken.None));
    }

    [Fact]
    public async Task PromoteAsync_WildcardETag_ReplacesWhateverIsCurrent()
    {
        var key = NewKey();
        await Store.PromoteAsync(key, NewRuns(1), null, null, "*", CancellationToken.None);
        var runs = NewRuns(1);

        var promoted = await Store.PromoteAsync(key, runs, "ops", "force", "*", CancellationToken.None);

        Assert.Equal(runs, (await Store.GetCurrentAsync(key, CancellationToken.None))?.RunIds);
        Assert.Equal(promoted.ETag, (await Store.GetCurrentAsync(key, CancellationToken.None))?.ETag);
        Assert.Equal(2, (await Store.HistoryAsync(key, 10, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PromoteAsync_TwoConcurrentPromotionsWithTheSameExpectedETag_ExactlyOneWins(bool baselineExists)
    {
        // Several rounds so that both orderings of the race are likely to occur; every round must have one winner.
        for (var round = 0; round < 5; round++)
        {
            var key = NewKey();
            string? expected = null;
            var historyBefore = 0;
            if (baselineExists)
            {
                expected = (await Store.PromoteAsync(key, NewRuns(1), "setup", null, null, CancellationToken.None)).ETag;
                historyBefore = 1;
                _time.Advance(TimeSpan.FromMinutes(1));
            }

            // Two stores (two clients) as two pipelines would have, released together.
            var contenders = new[] { (Store, Runs: NewRuns(2), By: "pipeline-a"), (Store, Runs: NewRuns(2), By: "pipeline-b") };
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = contenders.Select(async Task<(string By, Baseline? Result, Exception? Error)> (c) =>
            {
                await start.Task;
                try
                {
                    return (c.By, await c.Store.PromoteAsync(key, c.Runs, c.By, "race", expected, CancellationToken.None), null);
                }
                catch (BaselineConflictException ex)
                {
                    return (c.By, null, ex);
                }
            }).ToArray();
            start.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            var winner = Assert.Single(outcomes, o => o.Result is not null);
            Assert.Single(outcomes, o => o.Error is BaselineConflictException);
            var winnerRuns = contenders.Single(c => c.By == winner.By).Runs;
            var current = await Store.GetCurrentAsync(key, CancellationToken.None);
            Assert.Equal(winnerRuns, current?.RunIds);
            Assert.Equal(winner.Result!.ETag, current?.ETag);
            var history = await Store.HistoryAsync(key, 10, CancellationToken.None);
            Assert.Equal(historyBefore + 1, history.Count);
            Assert.Equal(winner.By, history[0].PromotedBy);
            Assert.Equal(winnerRuns, history[0].RunIds);
        }
    }

    [Fact]
    public async Task GetCurrentAsync_EnvironmentsAndSettingsKeys_AreSeparateBaselines()
    {
        var workload = AzuriteFixture.UniqueName("wl");
        var plain = new BaselineKey(workload, "default");
        var staging = new BaselineKey(workload, "default", "staging");
        var memory = new BaselineKey(workload, "memory=512/x#y");
        var neighbour = new BaselineKey(workload + "-2", "default");
        var runs = new Dictionary<BaselineKey, string[]> { [plain] = NewRuns(1), [staging] = NewRuns(1), [memory] = NewRuns(1), [neighbour] = NewRuns(1) };
        foreach (var (key, ids) in runs)
        {
            await Store.PromoteAsync(key, ids, null, null, null, CancellationToken.None);
        }

        foreach (var (key, ids) in runs)
        {
            Assert.Equal(ids, (await Store.GetCurrentAsync(key, CancellationToken.None))?.RunIds);
        }

        var listed = await Store.ListCurrentAsync(workload, CancellationToken.None);
        Assert.Equal(
            new[] { plain, staging, memory }.Select(k => k.ToString()).Order(),
            listed.Select(b => b.Key.ToString()).Order());
        Assert.Null(await Store.GetCurrentAsync(new BaselineKey(workload, "default", "prod"), CancellationToken.None));
        Assert.Equal(plain, (await Store.GetCurrentAsync(plain with { Environment = "" }, CancellationToken.None))?.Key);
    }

    [Theory]
    [InlineData("rolling(0)")]
    [InlineData("rolling()")]
    [InlineData("latest")]
    public async Task PromoteAsync_UnknownMode_ThrowsInputExceptionNamingBaseline(string mode)
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Store.PromoteAsync(NewKey(), NewRuns(1), mode, null, null, null, CancellationToken.None));
        Assert.Equal("baseline", error.Field);
    }

    [Fact]
    public async Task PromoteAsync_InvalidRunIds_ThrowsInputExceptionNamingTheEntry()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Store.PromoteAsync(NewKey(), [NewRuns(1)[0], "bogus"], null, null, null, CancellationToken.None));
        Assert.Equal("runIds[1]", error.Field);
        Assert.Equal("runIds", (await Assert.ThrowsAsync<InputException>(() => Store.PromoteAsync(NewKey(), [], null, null, null, CancellationToken.None))).Field);
    }

    [Fact]
    public void BaselineModes_TryParse_AcceptsCurrentAndRollingOnly()
    {
        Assert.True(BaselineModes.TryParse("current", out var none));
        Assert.Null(none);
        Assert.True(BaselineModes.TryParse("rolling(7)", out var seven));
        Assert.Equal(7, seven);
        Assert.False(BaselineModes.TryParse("rolling(-1)", out _));
        Assert.False(BaselineModes.TryParse("Rolling(3)", out _));
        Assert.False(BaselineModes.TryParse(null, out _));
    }

    private static BaselineKey NewKey() => new(AzuriteFixture.UniqueName("wl"), "default");

    private static string[] NewRuns(int count) =>
        [.. Enumerable.Range(0, count).Select(i => RunIds.Create(T0.AddMinutes(i), Guid.NewGuid()))];

    private static void AssertBaseline(BaselineKey key, IReadOnlyList<string> runs, string mode, DateTimeOffset promotedAt, string? by, string? reason, Baseline actual)
    {
        Assert.Equal(key, actual.Key);
        Assert.Equal(runs, actual.RunIds);
        Assert.Equal(mode, actual.Mode);
        Assert.Equal(promotedAt, actual.PromotedAt);
        Assert.Equal(by, actual.PromotedBy);
        Assert.Equal(reason, actual.Reason);
        Assert.False(string.IsNullOrEmpty(actual.ETag));
    }
}
