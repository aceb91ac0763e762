using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// The local host's durability and scale-out, with real processes: a CLI killed mid-run (SIGKILL) and resumed, and a
/// `yardstick worker` process sharing a run's shards over one task hub.
/// </summary>
public sealed class RecoveryAndScaleOutTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>
    /// <c>resume &lt;runId&gt;</c> finishes the killed run; so does a plain <c>run</c> on the same storage, which finishes
    /// interrupted runs before it starts its own (two loads must never share a target).
    /// </summary>
    [Theory]
    [InlineData("resume")]
    [InlineData("run")]
    public async Task Run_KilledAfterSomeShards_ResumeOrNextRunFinishes_WithoutRedoingOrDuplicatingShards(string then)
    {
        var name = AzuriteFixture.UniqueName("resume");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 50/s
              duration: 2s
              shards: 2
            compare:
              repeat: 3
            """);
        var storage = Cli.Storage;

        string runId;
        Dictionary<string, byte[]> firstRound;
        await using (var child = CliProcess.Start(["run", file, "--no-progress", .. Cli.HubArguments]))
        {
            (runId, firstRound) = await WaitForFirstRoundAsync(name, child);
            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
            Output.WriteLine($"killed the CLI after round 0 of run {runId}\n{child.Output}");
        }

        var resumed = then == "resume" ? await Cli.RunAsync("resume", runId) : await Cli.RunAsync("run", file, "--no-progress");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        if (then == "run")
        {
            Assert.Contains($"Finishing interrupted run {runId} first", resumed.Out, StringComparison.Ordinal);
            var runs = await storage.Runs.ListAsync(name, 10, CancellationToken.None);
            Assert.Equal(2, runs.Count);
            Assert.All(runs, AssertCompletedOrDegradedByStartSpread);
        }

        // Completed, or — when the loaded machine dispatched a resumed round's two shards over a second apart — degraded
        // for exactly that reason (the resume itself lost and duplicated nothing: asserted below).
        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        AssertCompletedOrDegradedByStartSpread(row!);

        // Three rounds of two shards: exactly six measured shard results, the first round untouched by the resume.
        var measured = await storage.Artifacts.ListAsync(name, runId, "shards/measured/", CancellationToken.None);
        Assert.Equal(6, measured.Count);
        foreach (var (blob, before) in firstRound)
        {
            var after = await storage.Artifacts.GetAsync(name, runId, blob, CancellationToken.None);
            Assert.Equal(before, after);
        }

        var (_, summary) = await Cli.AssertCountsAgreeAsync(name, runId, 300);
        Assert.Equal(3, summary.Rounds.Count);
    }

    /// <summary>
    /// A wide run (20 shards: two groups of 16 and 4) started without <c>--max-activities</c> runs each group as one
    /// <c>RunLoadShardGroupActivity</c> (its task hub history schedules no shard activity); killed after its first
    /// round, resumed, it stores every shard once and leaves the first round untouched.
    /// </summary>
    [Fact]
    public async Task Run_WideRoundsAsGroupActivities_KilledAfterTheFirstRound_ResumeFinishes_WithoutRedoingOrDuplicatingShards()
    {
        var name = AzuriteFixture.UniqueName("resumewide");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 100/s
              duration: 2s
              shards: 20
            compare:
              repeat: 3
            """);
        var storage = Cli.Storage;

        string runId;
        var firstRound = new Dictionary<string, byte[]>();
        await using (var child = CliProcess.Start(["run", file, "--no-progress", .. Cli.HubArguments]))
        {
            runId = await StoredRounds.WaitForRoundAsync(storage, name, child, round: 0, shards: 20, Patience);
            foreach (var blob in await storage.Artifacts.ListAsync(name, runId, StoredRounds.ShardPrefix(0), CancellationToken.None))
            {
                firstRound[blob] = (await storage.Artifacts.GetAsync(name, runId, blob, CancellationToken.None))!;
            }

            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var resumed = await Cli.RunAsync("resume", runId);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        AssertCompletedOrDegradedByStartSpread((await storage.Runs.GetAsync(runId, CancellationToken.None))!);
        Assert.Equal(60, (await storage.Artifacts.ListAsync(name, runId, "shards/measured/", CancellationToken.None)).Count);
        foreach (var (blob, before) in firstRound)
        {
            Assert.Equal(before, await storage.Artifacts.GetAsync(name, runId, blob, CancellationToken.None));
        }

        await Cli.AssertCountsAgreeAsync(name, runId, 600);

        // The task hub's history of the run: group activities (two a round), never a shard activity.
        var scheduled = new List<string>();
        await foreach (var e in new global::Azure.Data.Tables.TableClient(Cli.ConnectionString, Cli.TaskHub + "History")
                           .QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == runId, select: ["EventType", "Name"]))
        {
            if (e.GetString("EventType") == "TaskScheduled")
            {
                scheduled.Add(e.GetString("Name"));
            }
        }

        Assert.DoesNotContain("RunLoadShardActivity", scheduled);
        Assert.True(scheduled.Count(n => n == "RunLoadShardGroupActivity") >= 6, string.Join(", ", scheduled));
    }

    [Fact]
    public async Task Worker_OnTheSameTaskHub_RunsShardsOfARunStartedElsewhere()
    {
        await using var worker = CliProcess.Start(["worker", .. Cli.HubArguments]);
        await WaitUntilAsync(() => worker.Output.Contains("Worker joined", StringComparison.Ordinal) || worker.HasExited, "the worker to join");
        Assert.False(worker.HasExited, worker.Output);

        var name = AzuriteFixture.UniqueName("scaleout");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 40/s
              duration: 2s
              shards: 4
            """);

        // This process runs one shard at a time, so the others must be taken by the worker process.
        var result = await Cli.RunAsync("run", file, "--no-progress", "--max-activities", "1");

        Assert.True(result.ExitCode == 0, result.ToString() + "\n--- worker\n" + worker.Output);
        var runId = CliHarness.RunIdFrom(result);
        var workers = (await Cli.ReadMeasuredShardsAsync(name, runId)).Select(s => s.Worker!).ToList();

        Output.WriteLine("shards ran on: " + string.Join(", ", workers));
        Assert.Equal(4, workers.Count);
        Assert.Contains(workers, w => w.EndsWith("/" + worker.Id, StringComparison.Ordinal));
        Assert.Equal(80, (await Cli.ReadSummaryAsync(name, runId)).Requests);
    }

    /// <summary>
    /// Two <c>yardstick worker</c> processes and the run's own process, each taking one shard at a time, share a
    /// six-shard run: both workers generate load, and every shard is generated exactly once (the three processes' logs
    /// name each shard's "done" once, and the stored results hold each shard once).
    /// </summary>
    [Fact]
    public async Task TwoWorkers_OnTheSameTaskHub_ShareOneRunsShards_EachShardOnce()
    {
        string[] workerArguments = ["worker", "--verbose", "--max-activities", "1", .. Cli.HubArguments];
        await using var first = CliProcess.Start(workerArguments);
        await using var second = CliProcess.Start(workerArguments);
        await WaitUntilAsync(() => first.Output.Contains("Worker joined", StringComparison.Ordinal) || first.HasExited, "the first worker to join");
        await WaitUntilAsync(() => second.Output.Contains("Worker joined", StringComparison.Ordinal) || second.HasExited, "the second worker to join");
        Assert.False(first.HasExited, first.Output);
        Assert.False(second.HasExited, second.Output);

        var name = AzuriteFixture.UniqueName("twoworkers");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 60/s
              duration: 2s
              shards: 6
            """);

        // Out of process too, so its log of the shards it ran is read like the workers'.
        await using var run = CliProcess.Start(["run", file, "--no-progress", "--verbose", "--max-activities", "1", .. Cli.HubArguments]);
        string Logs() => "\n--- run\n" + run.Output + "\n--- worker 1\n" + first.Output + "\n--- worker 2\n" + second.Output;
        List<string> Done() => System.Text.RegularExpressions.Regex.Matches(Logs(), @"shard (\S+/measured/r\d+/s\d+) done:").Select(m => m.Groups[1].Value).ToList();
        int exit;
        try
        {
            // Three processes polling one Azurite on a loaded 2-core runner: more patience than a single run needs.
            exit = await run.WaitAsync(2 * Patience);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("the run did not finish in time:" + Logs());
        }

        Assert.True(exit == 0, Logs());
        var runId = System.Text.RegularExpressions.Regex.Match(run.Output, @"\b(\d{8}-\d{6}-[0-9a-f]{6})\b").Groups[1].Value;

        // A worker's log lines reach its output asynchronously: wait until all six are in (more would be duplicates).
        await WaitUntilAsync(() => Done().Count >= 6, "every shard's log line");
        var done = Done();
        Output.WriteLine("shards done: " + string.Join(", ", done));
        Assert.Equal(6, done.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"{runId}/measured/r00/s{i:D3}"), done.Order(StringComparer.Ordinal));

        var shards = await Cli.ReadMeasuredShardsAsync(name, runId);
        Assert.Equal([0, 1, 2, 3, 4, 5], shards.Select(s => s.ShardIndex).Order());
        Assert.Contains(shards, s => s.Worker!.EndsWith("/" + first.Id, StringComparison.Ordinal));
        Assert.Contains(shards, s => s.Worker!.EndsWith("/" + second.Id, StringComparison.Ordinal));
        Assert.Equal(120, (await Cli.ReadSummaryAsync(name, runId)).Requests);
    }

    /// <summary>
    /// A worker SIGKILLed while it generates a shard: the shard's work item reappears when its queue visibility
    /// timeout (20 s locally) lapses and another process runs it from the start, so the run completes with every shard
    /// stored once — degraded, since that shard began long after the round's others. Measured and printed: kill to
    /// re-delivery, and the run's wall time.
    /// </summary>
    [Fact]
    public async Task Worker_KilledWhileHoldingAShard_AnotherWorkerRunsTheShard_RunCompletes()
    {
        string[] workerArguments = ["worker", "--verbose", "--max-activities", "1", .. Cli.HubArguments];
        await using var victim = CliProcess.Start(workerArguments);
        await using var survivor = CliProcess.Start(workerArguments);
        await WaitUntilAsync(() => victim.Output.Contains("Worker joined", StringComparison.Ordinal) || victim.HasExited, "the first worker to join");
        await WaitUntilAsync(() => survivor.Output.Contains("Worker joined", StringComparison.Ordinal) || survivor.HasExited, "the second worker to join");

        var name = AzuriteFixture.UniqueName("killworker");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 30/s
              duration: 10s
              shards: 3
            """);

        // One shard at a time per process and three shards: each of the three processes holds one.
        var started = DateTimeOffset.UtcNow;
        await using var run = CliProcess.Start(["run", file, "--no-progress", "--verbose", "--max-activities", "1", .. Cli.HubArguments]);
        string Logs() => "\n--- run\n" + run.Output + "\n--- victim\n" + victim.Output + "\n--- survivor\n" + survivor.Output;
        var startLine = new System.Text.RegularExpressions.Regex(@"shard (\S+/measured/r\d+/s\d+) starting on");
        await WaitUntilAsync(() => startLine.IsMatch(victim.Output) || run.HasExited, "the first worker to start a shard");
        Assert.False(run.HasExited, Logs());
        var held = startLine.Match(victim.Output).Groups[1].Value;

        victim.Kill();
        var killed = DateTimeOffset.UtcNow;
        await victim.WaitAsync(TimeSpan.FromSeconds(30));

        // The held shard starts again in one of the other two processes.
        var again = $"shard {held} starting on";
        await WaitUntilAsync(() => run.Output.Contains(again, StringComparison.Ordinal) || survivor.Output.Contains(again, StringComparison.Ordinal) || run.HasExited, "the killed worker's shard to be re-delivered");
        var redelivered = DateTimeOffset.UtcNow;
        int exit;
        try
        {
            exit = await run.WaitAsync(2 * Patience);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("the run did not finish in time:" + Logs());
        }

        var finished = DateTimeOffset.UtcNow;
        Output.WriteLine($"shard {held} killed with its worker after {(killed - started).TotalSeconds:0.0} s; re-delivered {(redelivered - killed).TotalSeconds:0.0} s later; run done {(finished - started).TotalSeconds:0.0} s after start");
        Assert.True(exit == 0, Logs());
        var runId = System.Text.RegularExpressions.Regex.Match(run.Output, @"\b(\d{8}-\d{6}-[0-9a-f]{6})\b").Groups[1].Value;
        var shards = await Cli.ReadMeasuredShardsAsync(name, runId);
        Assert.Equal([0, 1, 2], shards.Select(s => s.ShardIndex).Order());
        Assert.DoesNotContain(shards, s => s.Worker!.EndsWith("/" + victim.Id, StringComparison.Ordinal));
        var summary = await Cli.ReadSummaryAsync(name, runId);
        Output.WriteLine($"latest shard start after the round's common start: {summary.MaxShardStartDelayMs:0} ms, after the round's first shard: {summary.MaxShardStartSpreadMs:0} ms");
        Assert.Equal(300, summary.Requests);

        // Every shard ran, but not together: the re-delivered one began a visibility timeout after the others.
        var row = await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.Equal(RunStatus.Degraded, row!.Status);
        Assert.Equal("degraded", summary.Status);
        Assert.Contains($"round 0 shard {int.Parse(held[^3..], System.Globalization.CultureInfo.InvariantCulture)} began", summary.FailureReason, StringComparison.Ordinal);
        Assert.True(summary.MaxShardStartSpreadMs > 1000, $"spread {summary.MaxShardStartSpreadMs} ms");
        Assert.Contains("shard start spread", run.Output, StringComparison.Ordinal);
    }

    private async Task<(string RunId, Dictionary<string, byte[]> Blobs)> WaitForFirstRoundAsync(string workload, CliProcess child)
    {
        var storage = Cli.Storage;
        var runId = await StoredRounds.WaitForRoundAsync(storage, workload, child, round: 0, shards: 2, Patience);
        var contents = new Dictionary<string, byte[]>();
        foreach (var blob in await storage.Artifacts.ListAsync(workload, runId, StoredRounds.ShardPrefix(0), CancellationToken.None))
        {
            contents[blob] = (await storage.Artifacts.GetAsync(workload, runId, blob, CancellationToken.None))!;
        }

        return (runId, contents);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("timed out waiting for " + what);
            }

            await Task.Delay(100);
        }
    }

    private static void AssertCompletedOrDegradedByStartSpread(RunRecord run)
    {
        if (run.Status != RunStatus.Completed)
        {
            Assert.Equal(RunStatus.Degraded, run.Status);
            Assert.StartsWith("shards did not start together", run.FailureReason, StringComparison.Ordinal);
        }
    }
}
