using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>What <see cref="RecordRunFailureActivity"/> writes when storage only half works, and for a run it does not know.</summary>
public sealed class RecordRunFailureActivityTests
{
    private const string RunId = "20261206-030000-abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_BlobWritesFailLikeAFullDisk_RowStillMarkedFailed_ThenTheAttemptFailsForARetry()
    {
        var runs = new InMemoryRunStore();
        await runs.UpsertAsync(new RunRecord { RunId = RunId, Workload = "w", Status = RunStatus.Running }, CancellationToken.None);
        var artifacts = new FullDiskArtifacts();
        await artifacts.Inner.PutAsync("w", RunId, "summary.json", YardstickJson.ToUtf8(new RunSummary { RunId = RunId, Workload = "w", Status = "completed", LatencyMs = new LatencySummary(), SchedulingLagMs = new LagSummary() }), "application/json", CancellationToken.None);

        var e = await Assert.ThrowsAsync<IOException>(() => Activity(artifacts, runs).RunAsync(null!, Failure()));

        Assert.Contains("No space left on device", e.Message, StringComparison.Ordinal);
        var row = (await runs.GetAsync(RunId, CancellationToken.None))!;
        Assert.Equal((RunStatus.Failed, "PersistRunActivity failed: boom", Now), (row.Status, row.FailureReason, row.CompletedAt));
    }

    [Fact]
    public async Task Run_UnknownRun_WritesNothing_ReturnsFalse()
    {
        var runs = new InMemoryRunStore();
        var artifacts = new InMemoryArtifactStore();

        var recorded = await Activity(artifacts, runs).RunAsync(null!, Failure());

        Assert.False(recorded);
        Assert.Null(await runs.GetAsync(RunId, CancellationToken.None));
        Assert.Empty(artifacts.Names);
    }

    private static RecordRunFailureActivity Activity(IArtifactStore artifacts, IRunStore runs) =>
        new(artifacts, runs, new YardstickHostOptions(), new FixedTime(Now));

    private static RunFailure Failure() => new() { RunId = RunId, Workload = "w", Reason = "PersistRunActivity failed: boom" };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Reads work, writes fail as on a full disk.</summary>
    private sealed class FullDiskArtifacts : IArtifactStore
    {
        public InMemoryArtifactStore Inner { get; } = new();

        public string DescribeLocation(string workload, string runId) => Inner.DescribeLocation(workload, runId);

        public Task PutAsync(string workload, string runId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            throw new IOException("No space left on device");

        public Task<byte[]?> GetAsync(string workload, string runId, string name, CancellationToken cancellationToken) =>
            Inner.GetAsync(workload, runId, name, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(string workload, string runId, string prefix, CancellationToken cancellationToken) =>
            Inner.ListAsync(workload, runId, prefix, cancellationToken);
    }
}
