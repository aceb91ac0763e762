using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Yardstick.Core.Datasets;
using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// `yardstick run` of the shipped workloads/replay-local.yaml and replay-data-local.yaml with their traces (and dataset),
/// against the in-process sample target or a loopback server that records the exact bytes it receives.
/// </summary>
public sealed class ReplayRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public async Task Run_ReplayLocalAsShipped_SendsEveryRecordedArrivalOnceWithItsPathAndRecordsTheTrace_ABaselineOnAnotherTraceIsLeftOut()
    {
        var name = AzuriteFixture.UniqueName("replay");
        var root = Path.Combine(RepoRoot(), "workloads");
        var yaml = File.ReadAllLines(Path.Combine(root, "replay-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name : l.Replace("http://127.0.0.1:5080", Target.BaseUrl, StringComparison.Ordinal));
        var file = Cli.WriteWorkload(name, string.Join('\n', yaml));
        Directory.CreateDirectory(Cli.PathOf("traces"));
        var trace = Path.Combine(root, "traces", "sample.jsonl");
        File.Copy(trace, Cli.PathOf(Path.Combine("traces", "sample.jsonl")), overwrite: true);
        var lines = File.ReadAllLines(trace).Count(l => l.Length > 0);

        var result = await Cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("traces/sample.jsonl", result.Out, StringComparison.Ordinal);

        // Every recorded arrival went out once, split 2 ways; the target answers 404 to any path it does not know, so
        // successes mean each arrival carried its own recorded path (and the POSTs their bodies, which /api/echo takes).
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), lines);
        Assert.Equal(lines, summary.Successes);
        Assert.Equal([(lines + 1) / 2, lines / 2], shards.OrderBy(s => s.ShardIndex).Select(s => s.Requests));
        Assert.Equal("replay", summary.Model);

        // The trace's identity, as a dataset's; per-endpoint metrics under the recorded names.
        var recorded = Assert.IsType<Core.Replay.TraceSummary>(summary.Trace);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trace))), recorded.Sha256);
        Assert.Equal(lines, recorded.Arrivals);
        Assert.Equal(new FileInfo(trace).Length, recorded.Bytes);
        Assert.Equal(4, recorded.DistinctEndpoints);
        Assert.Contains($"traces/sample.jsonl · {lines} arrivals", result.Out, StringComparison.Ordinal);
        var markdown = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, CliHarness.RunIdFrom(result), "report.md", CancellationToken.None))!);
        Assert.Contains(recorded.Sha256, markdown, StringComparison.Ordinal);
        Assert.Equal(
            ["GET /api/hello", "GET /api/items", "GET /api/work", "POST /api/echo/orders"],
            summary.PerRequest.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(lines, summary.PerRequest.Sum(r => r.Requests));

        // The same workload on a trace with one more arrival: the first run is not its baseline unless asked.
        var firstId = CliHarness.RunIdFrom(result);
        var copy = Cli.PathOf(Path.Combine("traces", "sample.jsonl"));
        var last = File.ReadAllLines(copy).Last(l => l.Length > 0);
        await File.AppendAllTextAsync(copy, last + "\n");
        var refused = await Cli.RunAsync("gate", file, "--baseline", firstId, "--set", "load.speed=4", "--no-progress");
        var refusedVerdict = (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(refused))).Verdict!;
        Assert.Empty(refusedVerdict.BaselineRunIds);
        Assert.Contains($"Baseline run {firstId} replayed another trace", refusedVerdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("--allow-dataset-change", refusedVerdict.Explanation, StringComparison.Ordinal);
    }

    /// <summary>The shipped replay-data-local.yaml pointed at <paramref name="url"/> (no process of its own), with its trace and dataset beside it.</summary>
    private (string File, string Trace, string Data) CopyReplayDataLocal(string name, string url)
    {
        var root = Path.Combine(RepoRoot(), "workloads");
        var yaml = File.ReadAllLines(Path.Combine(root, "replay-data-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name : l.Replace("http://127.0.0.1:5080", url, StringComparison.Ordinal));
        var file = Cli.WriteWorkload(name, string.Join('\n', yaml));
        Directory.CreateDirectory(Cli.PathOf("traces"));
        Directory.CreateDirectory(Cli.PathOf("data"));
        var trace = Path.Combine(root, "traces", "sample-data.jsonl");
        var data = Path.Combine(root, "data", "users.csv");
        File.Copy(trace, Cli.PathOf(Path.Combine("traces", "sample-data.jsonl")), overwrite: true);
        File.Copy(data, Cli.PathOf(Path.Combine("data", "users.csv")), overwrite: true);
        return (file, trace, data);
    }

    [Fact]
    public async Task Run_ReplayDataLocalAsShipped_EachArrivalCarriesItsRowInPathQueryAndBody_ExactlyAsTheTargetReceivedIt()
    {
        var received = new ConcurrentQueue<string>();
        await using var target = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                received.Enqueue(request);
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var name = AzuriteFixture.UniqueName("replaydata");
        var (file, tracePath, dataPath) = CopyReplayDataLocal(name, $"http://127.0.0.1:{target.Port}");

        var result = await Cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var records = File.ReadAllLines(tracePath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var (_, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), records.Count);
        Assert.Equal(records.Count, summary.Successes);
        Assert.Equal(("data/users.csv", "unique", "wrap"), (summary.Dataset!.File, summary.Dataset.Mode, summary.Dataset.OnExhausted));
        Assert.Equal(["id", "name", "note"], summary.Trace!.DataHoles.Select(h => h.Column).Order(StringComparer.Ordinal));

        // The rows as the shards deal them: unique over 2 shards, so arrival n (shard n mod 2, its k = n div 2-th) takes
        // row (n mod 2) + 2·(k mod 4) of the 8 (wrapping).
        var rows = new List<string[]>();
        using (var reader = DatasetReader.Open(dataPath, "data/users.csv"))
        {
            var values = new string[reader.Columns.Count];
            while (reader.Next(values))
            {
                rows.Add([.. values]);
            }
        }

        Assert.Equal(8, rows.Count);
        var expectedLines = new List<string>();
        var expectedBodies = new Dictionary<string, (string Name, string Note, int Id)>();
        for (var n = 0; n < records.Count; n++)
        {
            var row = rows[(n % 2) + (2 * ((n / 2) % 4))];
            var path = records[n].GetProperty("path").GetString()!
                .Replace("${data.id}", Uri.EscapeDataString(row[0]), StringComparison.Ordinal)
                .Replace("city=REDACTED", "city=" + Uri.EscapeDataString(row[2]), StringComparison.Ordinal)
                .Replace("name=REDACTED", "name=" + Uri.EscapeDataString(row[1]), StringComparison.Ordinal);
            expectedLines.Add($"{records[n].GetProperty("method").GetString()} {path} HTTP/1.1");
            if (records[n].TryGetProperty("body", out _))
            {
                expectedBodies[path] = (row[1], row[3], int.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var requests = received.ToList();
        Assert.Equal(
            expectedLines.Order(StringComparer.Ordinal),
            requests.Select(r => r[..r.IndexOf("\r\n", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));

        // Spot checks of the encodings: non-ASCII, '/', '?', a quote and a line break never leave their value.
        Assert.Contains("GET /api/echo/users/3?city=New%20York&page=REDACTED HTTP/1.1", expectedLines);
        Assert.Contains("GET /api/echo/users/4?city=Paris&page=REDACTED HTTP/1.1", expectedLines);
        Assert.Contains("GET /api/echo/search?q=REDACTED&name=%C3%89dith%20Piaf HTTP/1.1", expectedLines);
        foreach (var request in requests.Where(r => r.StartsWith("POST ", StringComparison.Ordinal)))
        {
            var path = request.Split(' ')[1];
            // The server reads bytes as Latin-1: the body's bytes, decoded as the UTF-8 they are.
            var body = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
            using var json = JsonDocument.Parse(body);
            var (expectedName, expectedNote, id) = expectedBodies[path];
            Assert.Equal(expectedName, json.RootElement.GetProperty("name").GetString());
            Assert.Equal(expectedNote, json.RootElement.GetProperty("note").GetString());
            Assert.Equal(id, json.RootElement.GetProperty("user").GetInt32());
        }

        Assert.Contains(requests, r => r.EndsWith("{\"name\":\"Alan Turing\",\"note\":\"says \\\"hello\\\"\",\"user\":2}", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.EndsWith("{\"name\":\"Margaret Hamilton\",\"note\":\"multi\\nline\",\"user\":6}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ReplayDataLocalWithStop_ArrivalsBeyondTheRowsAreNotSent_AndTheSummarySaysWhy()
    {
        var name = AzuriteFixture.UniqueName("replaystop");
        var (file, tracePath, _) = CopyReplayDataLocal(name, Target.BaseUrl);

        var result = await Cli.RunAsync("run", file, "--set", "data.onExhausted=stop", "--no-progress");

        // 24 recorded arrivals, 8 rows dealt to 2 shards: 4 sent by each (the sample target answers every filled path),
        // the other 16 not sent, and each shard says it ran out.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(24, File.ReadAllLines(tracePath).Count(l => l.Length > 0));
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), 8);
        Assert.Equal(8, summary.Successes);
        Assert.All(shards, s => Assert.Contains("ran out after 4 row(s)", s.DataExhausted, StringComparison.Ordinal));
        Assert.Equal(2, summary.Dataset!.Exhausted.Count);
        Assert.All(summary.Dataset.Exhausted, e => Assert.EndsWith("later arrivals were not sent", e, StringComparison.Ordinal));

        // The CLI's summary table prints each shard's reason (wrapped to the console's width, so matched by its start).
        Assert.Contains("shard 0: the dataset ran out after 4 row(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("shard 1: the dataset ran out after 4 row(s)", result.Out, StringComparison.Ordinal);
    }
}
