using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Replay;
using Yardstick.Core.Tests.Workloads;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>
/// A replay with a dataset: each arrival draws one row (by the dataset's mode, from the shard's own rows), which fills
/// the trace line's <c>${data.column}</c> holes (URL-encoded in the path, JSON-escaped in a JSON body) and its REDACTED
/// query values named like a column; the holes are checked against the dataset's header before anything runs.
/// Datasets and traces are files on disk, read by the readers shards use.
/// </summary>
public sealed class ReplayDataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ys-replaydata-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Trace(params (string Path, string? Body)[] lines) =>
        string.Join("\n", lines.Select((l, i) => ReplayTraces.Line(TimeSpan.FromMilliseconds(i), l.Path, l.Body is null ? "GET" : "POST", l.Body is null ? "GET /x" : "POST /x", l.Body))) + "\n";

    /// <summary>Walks a shard's arrivals like the pacer and a connection: (path, body) per arrival, null when it is not sent.</summary>
    private List<(string Path, string Body)?> Walk(string trace, DataSpec spec, string csv, int shard = 0, int shards = 1, string? contentType = null, DatasetRows? rows = null)
    {
        var summary = ReplayTraces.Describe(trace);
        var own = rows is null;
        rows ??= DatasetRows.OpenFile(WriteFile($"data-{Guid.NewGuid():N}.csv", csv), "data/users.csv", spec, shard, shards, seed: 7);
        try
        {
            using var feed = new ReplayFeed(ReplayTraces.Opener(trace), summary, shard, shards, maxInFlight: 10, rows, "data/users.csv", contentType);
            var timeline = feed.GetTimeline(CancellationToken.None);
            var row = new DataRowBuffer(feed.Columns.Count);
            var seen = new List<(string, string)?>();
            long index = 0;
            while (timeline.MoveNext())
            {
                seen.Add(feed.TryRead(index, row) ? ("/" + Encoding.UTF8.GetString(row.Value(0)), Encoding.UTF8.GetString(row.Value(1))) : null);
                index++;
            }

            Assert.Null(feed.FailureReason);
            return seen;
        }
        finally
        {
            if (own)
            {
                rows.Dispose();
            }
        }
    }

    [Fact]
    public void PathHole_IsUrlEncoded_SoAValueNeverChangesThePathOrHost()
    {
        var csv = "user,q\n\"a b/../c?x=1#frag\r\n//evil.example\",caf\u00e9 & co\n";
        var seen = Walk(Trace(("/api/users/${data.user}?q=${data.q}&k=1", null)), new DataSpec { File = "data/users.csv" }, csv);

        Assert.Equal(("/api/users/a%20b%2F..%2Fc%3Fx%3D1%23frag%0D%0A%2F%2Fevil.example?q=caf%C3%A9%20%26%20co&k=1", ""), Assert.Single(seen));
    }

    [Fact]
    public void BodyHole_InAJsonString_IsJsonEscaped_ANumberGoesAsAValue_AndANonJsonBodyIsRaw()
    {
        var csv = "user,n\n\"say \"\"hi\"\"\\\n\",42\n";
        var trace = Trace(
            ("/api/echo", "{\"name\":\"${data.user}\",\"n\":${data.n},\"who\":${data.user}}"),
            ("/api/echo", "user=${data.user};n=${data.n}"));
        var seen = Walk(trace, new DataSpec { File = "data/users.csv" }, csv);

        Assert.Equal("{\"name\":\"say \\\"hi\\\"\\\\\\n\",\"n\":42,\"who\":\"say \\\"hi\\\"\\\\\\n\"}", seen[0]!.Value.Body);
        Assert.Equal("user=say \"hi\"\\\n;n=42", seen[1]!.Value.Body);
    }

    [Fact]
    public void BodyHole_WithAJsonContentType_IsJsonEscapedEvenWhenTheBodyDoesNotLookLikeJson()
    {
        var seen = Walk(Trace(("/api/echo", "\"${data.user}\"")), new DataSpec { File = "data/users.csv" }, "user\n\"a\"\"b\"\n", contentType: "application/json");

        Assert.Equal("\"a\\\"b\"", seen[0]!.Value.Body);
    }

    [Fact]
    public void RedactedQueryValue_NamedLikeAColumn_GetsItsValueUrlEncoded_OthersStayRedacted()
    {
        var csv = "user,tenant id\nal/ice,t 1\n";
        var trace = Trace(
            ("/api/items?user=REDACTED&page=REDACTED&tenant%20id=REDACTED&x=REDACTEDX", null),
            ("/api/items?page=2&user=REDACTED", null),
            ("/api/user=REDACTED", null),
            ("/api/${data.user}?user=REDACTED${data.user}", null));
        var seen = Walk(trace, new DataSpec { File = "data/users.csv" }, csv);

        Assert.Equal("/api/items?user=al%2Fice&page=REDACTED&tenant%20id=t%201&x=REDACTEDX", seen[0]!.Value.Path);
        Assert.Equal("/api/items?page=2&user=al%2Fice", seen[1]!.Value.Path);
        Assert.Equal("/api/user=REDACTED", seen[2]!.Value.Path); // not in the query
        Assert.Equal("/api/al%2Fice?user=REDACTEDal%2Fice", seen[3]!.Value.Path); // the value is not exactly REDACTED
    }

    [Fact]
    public void EachArrival_DrawsTheNextRow_InFileOrder()
    {
        var csv = "id\n" + string.Join("\n", Enumerable.Range(0, 5)) + "\n";
        var trace = Trace([.. Enumerable.Range(0, 5).Select(_ => ("/u/${data.id}", (string?)null))]);

        var seen = Walk(trace, new DataSpec { File = "data/users.csv" }, csv);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"/u/{i}"), seen.Select(s => s!.Value.Path));
    }

    [Fact]
    public void MoreDistinctTemplatesThanTheParseCacheKeeps_EachLineStillFilledWithItsOwnRow()
    {
        var count = ReplayRowFiller.MaxCachedTemplates + 200;
        var csv = "id\n" + string.Join("\n", Enumerable.Range(0, 7)) + "\n";
        var trace = Trace([.. Enumerable.Range(0, count).Select(i => ($"/u/{i % (count - 100)}/${{data.id}}?v=REDACTED", (string?)null))]);

        var seen = Walk(trace, new DataSpec { File = "data/users.csv" }, csv.Replace("id\n", "id,v\n", StringComparison.Ordinal).Replace("\n0\n", "\n0,a b\n", StringComparison.Ordinal));

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"/u/{i % (count - 100)}/{i % 7}?v={(i % 7 == 0 ? "a%20b" : "")}"), seen.Select(s => s!.Value.Path));
    }

    [Fact]
    public void Unique_AcrossTwoShards_GivesDisjointRowsCoveringTheDataset()
    {
        var csv = "id\n" + string.Join("\n", Enumerable.Range(0, 10)) + "\n";
        var trace = Trace([.. Enumerable.Range(0, 10).Select(_ => ("/u/${data.id}", (string?)null))]);
        var spec = new DataSpec { File = "data/users.csv", Mode = DataMode.Unique };

        var first = Walk(trace, spec, csv, shard: 0, shards: 2).Select(s => s!.Value.Path).ToList();
        var second = Walk(trace, spec, csv, shard: 1, shards: 2).Select(s => s!.Value.Path).ToList();

        Assert.Equal(["/u/0", "/u/2", "/u/4", "/u/6", "/u/8"], first);
        Assert.Equal(["/u/1", "/u/3", "/u/5", "/u/7", "/u/9"], second);
        Assert.Empty(first.Intersect(second));
    }

    [Fact]
    public void Exhausted_WithStop_LaterArrivalsAreNotSent_AndTheRowsSayWhy()
    {
        var trace = Trace([.. Enumerable.Range(0, 5).Select(_ => ("/u/${data.id}", (string?)null))]);
        var spec = new DataSpec { File = "data/users.csv", OnExhausted = DataExhaustion.Stop };
        using var rows = DatasetRows.OpenFile(WriteFile("stop.csv", "id\na\nb\nc\n"), "data/users.csv", spec, 0, 1, seed: 7);

        var seen = Walk(trace, spec, "", rows: rows);

        Assert.Equal(["/u/a", "/u/b", "/u/c"], seen.Take(3).Select(s => s!.Value.Path));
        Assert.Equal([null, null], seen.Skip(3));
        Assert.Contains("ran out after 3 row(s)", rows.ExhaustedReason, StringComparison.Ordinal);
        Assert.Contains("later arrivals were not sent", rows.ExhaustedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Exhausted_WithWrap_StartsOverAtTheFirstRow()
    {
        var trace = Trace([.. Enumerable.Range(0, 5).Select(_ => ("/u/${data.id}", (string?)null))]);
        var spec = new DataSpec { File = "data/users.csv", OnExhausted = DataExhaustion.Wrap };
        using var rows = DatasetRows.OpenFile(WriteFile("wrap.csv", "id\na\nb\nc\n"), "data/users.csv", spec, 0, 1, seed: 7);

        var seen = Walk(trace, spec, "", rows: rows);

        Assert.Equal(["/u/a", "/u/b", "/u/c", "/u/a", "/u/b"], seen.Select(s => s!.Value.Path));
        Assert.Null(rows.ExhaustedReason);
    }

    [Fact]
    public void WithoutHoles_PathsAndBodiesGoAsRecorded_EachStillDrawingARow()
    {
        var trace = Trace(("/api/hello?page=2", null), ("/api/echo", "{\"a\":\"${env:X}\"}"));
        var spec = new DataSpec { File = "data/users.csv", OnExhausted = DataExhaustion.Stop };
        using var rows = DatasetRows.OpenFile(WriteFile("one.csv", "id\na\n"), "data/users.csv", spec, 0, 1, seed: 7);

        var seen = Walk(trace, spec, "", rows: rows);

        Assert.Equal(("/api/hello?page=2", ""), seen[0]);
        Assert.Null(seen[1]); // one row for two arrivals: the second is not sent
    }

    [Fact]
    public void Describe_CollectsTheColumnsTheWindowNames_WithTheFirstLineOfEach()
    {
        var summary = ReplayTraces.Describe(Trace(("/a", null), ("/u/${data.user}?x=${data.q}", null), ("/b", "{\"u\":\"${data.user}\",\"t\":\"${data.tenant}\"}")));

        Assert.Equal([new TraceHole("user", 2), new TraceHole("q", 2), new TraceHole("tenant", 3)], summary.DataHoles);
    }

    [Fact]
    public void CheckHoles_AColumnTheDatasetLacks_NamesLoadTraceTheLineAndTheColumns()
    {
        var summary = ReplayTraces.Describe(Trace(("/a", null), ("/u/${data.user}", null), ("/v/${data.nope}", null)));

        var e = Assert.Throws<InputException>(() => ReplayData.CheckHoles(summary, new DataSpec { File = "data/users.csv" }, ["user", "q"]));

        Assert.Equal("load.trace", e.Field);
        Assert.Equal("line 3: ${data.nope} is not a column of data/users.csv (columns: user, q).", e.Message);
    }

    [Fact]
    public void CheckHoles_WithoutADataset_NamesLoadTraceAndTheLine()
    {
        var summary = ReplayTraces.Describe(Trace(("/a", null), ("/b", "{\"u\":\"${data.user}\"}")));

        var e = Assert.Throws<InputException>(() => ReplayData.CheckHoles(summary, null, null));

        Assert.Equal("load.trace", e.Field);
        Assert.StartsWith("line 2: ${data.user} needs a dataset; add data:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_AHoleTheDatasetLacks_StopsTheShardNamingTheLine()
    {
        var trace = Trace(("/u/${data.id}", null), ("/u/${data.missing}", null));
        var summary = ReplayTraces.Describe(trace);
        var spec = new DataSpec { File = "data/users.csv" };
        using var rows = DatasetRows.OpenFile(WriteFile("ids.csv", "id\na\nb\n"), "data/users.csv", spec, 0, 1, seed: 7);
        using var feed = new ReplayFeed(ReplayTraces.Opener(trace), summary, 0, 1, maxInFlight: 10, rows, "data/users.csv");
        var timeline = feed.GetTimeline(CancellationToken.None);
        while (timeline.MoveNext())
        {
        }

        Assert.Contains("line 2: ${data.missing} is not a column of data/users.csv (columns: id)", feed.FailureReason, StringComparison.Ordinal);
    }

    private string WriteWorkload(string trace, string data)
    {
        WriteFile("traces/t.jsonl", trace);
        WriteFile("data/users.csv", "user,q\nal,x\n");
        return WriteFile("w.yaml", $$"""
            name: replay-data-test
            target: { url: "http://127.0.0.1:5080/" }
            load: { model: replay, trace: traces/t.jsonl }
            {{data}}
            """);
    }

    private static Dictionary<string, string> Errors(string path) =>
        Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(path, null, TestWorkloads.Environment))
            .Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Message);

    [Fact]
    public void Validate_ReplayWithData_IsAccepted_EveryModeAndRule()
    {
        foreach (var data in (string[])["data: { file: data/users.csv }", "data: { file: data/users.csv, mode: unique, onExhausted: wrap }", "data: { file: data/users.csv, mode: random, seed: 3, onExhausted: stop }"])
        {
            var w = WorkloadLoader.LoadFile(WriteWorkload(Trace(("/u/${data.user}?q=REDACTED", null)), data), null, TestWorkloads.Environment);
            Assert.Equal("data/users.csv", w.Data!.File);
        }
    }

    [Fact]
    public void Validate_AHoleNamingAMissingColumn_IsRefusedNamingLoadTraceLineAndColumn()
    {
        var errors = Errors(WriteWorkload(Trace(("/a", null), ("/u/${data.user}/${data.tenant}", null)), "data: { file: data/users.csv }"));

        Assert.Equal("line 2: ${data.tenant} is not a column of data/users.csv (columns: user, q).", errors["load.trace"]);
    }

    [Fact]
    public void Validate_HolesWithoutData_AreRefusedNamingLoadTraceAndTheLine()
    {
        var errors = Errors(WriteWorkload(Trace(("/u/${data.user}", null)), ""));

        Assert.StartsWith("line 1: ${data.user} needs a dataset", errors["load.trace"], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HolesInTargetUrlOrHeadersOfAReplay_AreRefusedNamingThem()
    {
        var path = WriteWorkload(Trace(("/u", null)), "data: { file: data/users.csv }");
        File.WriteAllText(path, File.ReadAllText(path).Replace("target: { url: \"http://127.0.0.1:5080/\" }", "target: { url: \"http://127.0.0.1:5080/${data.user}\", headers: { X-User: \"${data.user}\" } }", StringComparison.Ordinal));

        var errors = Errors(path);

        Assert.Contains("recorded path", errors["target.url"], StringComparison.Ordinal);
        Assert.Contains("trace's paths and bodies only", errors["target.headers.X-User"], StringComparison.Ordinal);
    }
}
