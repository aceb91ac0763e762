using Yardstick.Core.Ports;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Hosting;

public sealed class PlanReaderTests
{
    private const string RunId = "20261207T041600Z-0123456789abcdef";

    [Fact]
    public async Task GetAsync_ManyShardsAtOnce_ShareOneRead()
    {
        var store = new GatedArtifacts(new InMemoryArtifactStore());
        var stored = await TestRuns.StoreAsync(store.Inner, RunId, Workload, new YardstickHostOptions());
        var reader = new PlanReader(store);

        // 64 shards of a wide round ask while the first read is still under way.
        var readers = Enumerable.Range(0, 64).Select(_ => reader.GetAsync(stored.Workload.Name, RunId, CancellationToken.None)).ToList();
        await store.FirstGetStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        store.Release.SetResult();
        var plans = await Task.WhenAll(readers);

        Assert.Equal(1, reader.Reads);
        Assert.Equal(1, store.Gets);
        Assert.All(plans, p => Assert.Same(plans[0], p));
        Assert.Same(plans[0], await reader.GetAsync(stored.Workload.Name, RunId, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_AFailedRead_IsNotKept_TheNextCallerReadsAgain()
    {
        var store = new InMemoryArtifactStore();
        var reader = new PlanReader(store);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.GetAsync("plain", RunId, CancellationToken.None));
        Assert.Contains("plan.json is missing", missing.Message, StringComparison.Ordinal);

        var stored = await TestRuns.StoreAsync(store, RunId, Workload, new YardstickHostOptions());
        var plan = await reader.GetAsync(stored.Workload.Name, RunId, CancellationToken.None);

        Assert.Equal(stored.Workload.Name, plan.Workload.Name);
        Assert.Equal(2, reader.Reads);
    }

    [Fact]
    public async Task GetAsync_ACallerCancelled_StopsWaiting_OthersGetThePlan()
    {
        var store = new GatedArtifacts(new InMemoryArtifactStore());
        var stored = await TestRuns.StoreAsync(store.Inner, RunId, Workload, new YardstickHostOptions());
        var reader = new PlanReader(store);
        using var cancel = new CancellationTokenSource();

        var cancelled = reader.GetAsync(stored.Workload.Name, RunId, cancel.Token);
        var patient = reader.GetAsync(stored.Workload.Name, RunId, CancellationToken.None);
        await store.FirstGetStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        store.Release.SetResult();

        Assert.Equal(stored.Workload.Name, (await patient).Workload.Name);
        Assert.Equal(1, reader.Reads);
    }

    private const string Workload = """
        name: plain
        target:
          url: http://127.0.0.1:9/api/hello
        load:
          rate: 10/s
          duration: 1s
        """;

    /// <summary>Holds every plan read until released, so concurrent callers overlap for certain.</summary>
    private sealed class GatedArtifacts(InMemoryArtifactStore inner) : IArtifactStore
    {
        private int _gets;

        public InMemoryArtifactStore Inner => inner;

        public TaskCompletionSource FirstGetStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Gets => _gets;

        public string DescribeLocation(string workload, string runId) => inner.DescribeLocation(workload, runId);

        public Task PutAsync(string workload, string runId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            inner.PutAsync(workload, runId, name, content, contentType, cancellationToken);

        public async Task<byte[]?> GetAsync(string workload, string runId, string name, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _gets);
            FirstGetStarted.TrySetResult();
            await Release.Task;
            return await inner.GetAsync(workload, runId, name, cancellationToken);
        }

        public Task<IReadOnlyList<string>> ListAsync(string workload, string runId, string prefix, CancellationToken cancellationToken) =>
            inner.ListAsync(workload, runId, prefix, cancellationToken);
    }
}
