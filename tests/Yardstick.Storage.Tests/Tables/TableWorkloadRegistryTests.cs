using Microsoft.Extensions.Time.Testing;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Storage.Tables;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Tables;

[Collection(AzuriteFixture.Collection)]
public sealed class TableWorkloadRegistryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task PushAsync_NewTextsAndARepeat_NumbersVersionsAndStoresHashAuthorTimeAndText()
    {
        var storage = azurite.CreateIsolatedStorage(_time);
        var registry = storage.Registry;
        const string v1 = "name: reg-a\r\ntarget: { url: http://127.0.0.1/ }\r\nload: { rate: 1/s, duration: 1s }\r\n";
        const string v2 = "name: reg-a\ntarget: { url: http://127.0.0.1/ }\nload: { rate: 2/s, duration: 1s }\n";

        var first = await registry.PushAsync("reg-a", v1, "nightly", "cli:alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        var repeat = await registry.PushAsync("reg-a", v1, "nightly", "cli:bob", CancellationToken.None);
        var second = await registry.PushAsync("reg-a", v2, null, null, CancellationToken.None);

        Assert.True(first.Created);
        Assert.Equal(new WorkloadVersion("reg-a", 1, WorkloadContentHash.Of(v1), "yaml", "cli:alice", Start, "nightly", v1.Length), first.Version);
        Assert.False(repeat.Created);
        Assert.Equal(first.Version, repeat.Version);
        Assert.True(second.Created);
        Assert.Equal(2, second.Version.Version);
        Assert.Equal(Start.AddMinutes(5), second.Version.CreatedAt);
        Assert.Equal([2, 1], (await registry.VersionsAsync("reg-a", CancellationToken.None)).Select(v => v.Version));
        Assert.Equal(v1, await registry.GetTextAsync("reg-a", 1, CancellationToken.None));
        Assert.Equal(v2, await registry.GetTextAsync("reg-a", 2, CancellationToken.None));
        Assert.Null(await registry.GetTextAsync("reg-a", 3, CancellationToken.None));
        Assert.Equal(second.Version, await registry.NewestAsync("reg-a", CancellationToken.None));
    }

    [Fact]
    public async Task RetireAsync_NewestVersion_KeepsItListedAndMakesThePreviousOneNewest()
    {
        var registry = azurite.CreateIsolatedStorage(_time).Registry;
        await registry.PushAsync("reg-b", Text("reg-b", 1), null, null, CancellationToken.None);
        await registry.PushAsync("reg-b", Text("reg-b", 2), null, null, CancellationToken.None);

        var retired = await registry.RetireAsync("reg-b", 2, "ops", CancellationToken.None);
        var again = await registry.RetireAsync("reg-b", 2, "someone-else", CancellationToken.None);
        var missing = await registry.RetireAsync("reg-b", 9, "ops", CancellationToken.None);

        Assert.Equal((Start, "ops"), (retired!.RetiredAt!.Value, retired.RetiredBy!));
        Assert.Equal(retired, again);
        Assert.Null(missing);
        var versions = await registry.VersionsAsync("reg-b", CancellationToken.None);
        Assert.Equal([true, false], versions.Select(v => v.IsRetired));
        Assert.Equal(1, (await registry.NewestAsync("reg-b", CancellationToken.None))!.Version);
        Assert.Equal(Text("reg-b", 2), await registry.GetTextAsync("reg-b", 2, CancellationToken.None));
    }

    [Fact]
    public async Task PushAsync_TextOfARetiredVersion_StoresANewVersionNumber()
    {
        var registry = azurite.CreateIsolatedStorage(_time).Registry;
        await registry.PushAsync("reg-c", Text("reg-c", 1), null, null, CancellationToken.None);
        await registry.RetireAsync("reg-c", 1, null, CancellationToken.None);

        var pushed = await registry.PushAsync("reg-c", Text("reg-c", 1), null, null, CancellationToken.None);

        Assert.True(pushed.Created);
        Assert.Equal(2, pushed.Version.Version);
    }

    [Fact]
    public async Task PushAsync_ConcurrentPushesOfDifferentTexts_TakeDistinctConsecutiveNumbers()
    {
        var registry = azurite.CreateIsolatedStorage(_time).Registry;

        var pushed = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => registry.PushAsync("reg-d", Text("reg-d", i), null, null, CancellationToken.None)));

        Assert.All(pushed, p => Assert.True(p.Created));
        Assert.Equal([1, 2, 3, 4, 5, 6], pushed.Select(p => p.Version.Version).Order());
        foreach (var p in pushed)
        {
            Assert.Equal(p.Version.ContentHash, WorkloadContentHash.Of((await registry.GetTextAsync("reg-d", p.Version.Version, CancellationToken.None))!));
        }
    }

    [Fact]
    public async Task ListNewestAsync_SeveralWorkloads_ListsEachNewestActiveVersionByNameWithoutFullyRetiredOnes()
    {
        var registry = azurite.CreateIsolatedStorage(_time).Registry;
        await registry.PushAsync("reg-z", Text("reg-z", 1), "nightly", null, CancellationToken.None);
        await registry.PushAsync("reg-e", Text("reg-e", 1), null, null, CancellationToken.None);
        await registry.PushAsync("reg-e", Text("reg-e", 2), null, null, CancellationToken.None);
        await registry.PushAsync("reg-gone", Text("reg-gone", 1), null, null, CancellationToken.None);
        await registry.RetireAsync("reg-gone", 1, null, CancellationToken.None);

        var newest = await registry.ListNewestAsync(CancellationToken.None);

        Assert.Equal([("reg-e", 2), ("reg-z", 1)], newest.Select(v => (v.Workload, v.Version)));
        Assert.Equal("nightly", newest[1].Schedule);
    }

    [Fact]
    public async Task Store_NamesOutsideTheRule_AreRefusedBeforeStorage()
    {
        IWorkloadRegistry registry = azurite.CreateIsolatedStorage(_time).Registry;

        foreach (var name in new[] { "../x", "a/b", "~workloads", "A", "" })
        {
            Assert.Equal("workload", (await Assert.ThrowsAsync<InputException>(() => registry.PushAsync(name, "name: x", null, null, CancellationToken.None))).Field);
            Assert.Equal("workload", (await Assert.ThrowsAsync<InputException>(() => registry.VersionsAsync(name, CancellationToken.None))).Field);
        }

        Assert.Equal("version", Assert.Throws<InputException>(() => TableWorkloadRegistry.RowKeyOf(0)).Field);
        Assert.Empty(await registry.ListNewestAsync(CancellationToken.None));
    }

    private static string Text(string name, int rate) =>
        $"name: {name}\ntarget: {{ url: http://127.0.0.1/ }}\nload: {{ rate: {rate}/s, duration: 1s }}\n";
}
