using Yardstick.Core.Tests.Workloads;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary><c>load.model: replay</c> in a workload file: mapping, refused fields named, the trace read whole by validation.</summary>
public sealed class ReplayWorkloadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ys-replay-").FullName;

    public ReplayWorkloadTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "traces"));
        File.WriteAllText(Path.Combine(_folder, "traces", "t.jsonl"), ReplayTraces.Irregular(100));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string load, string extra = "")
    {
        var path = Path.Combine(_folder, "w.yaml");
        File.WriteAllText(path, $$"""
            name: replay-test
            target: { url: "http://127.0.0.1:5080/" }
            load: {{load}}
            {{extra}}
            """);
        return path;
    }

    private static Workload Load(string path) => WorkloadLoader.LoadFile(path, null, TestWorkloads.Environment);

    private static Dictionary<string, string> Errors(string path) =>
        Assert.Throws<WorkloadValidationException>(() => Load(path)).Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Message);

    [Fact]
    public void LoadFile_EveryReplayField_IsMapped()
    {
        var w = Load(Write("{ model: replay, trace: { file: traces/t.jsonl }, speed: 2.5, window: { from: 100ms, duration: 200ms }, shards: 2 }"));

        Assert.Equal(LoadModel.Replay, w.Load.Model);
        Assert.Equal("traces/t.jsonl", w.Load.Trace!.File);
        Assert.Null(w.Load.Trace.Blob);
        Assert.Equal(2.5, w.Load.Speed);
        Assert.Equal(new TraceWindow(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)), w.Load.Window);

        var shorthand = Load(Write("{ model: replay, trace: traces/t.jsonl }"));
        Assert.Equal("traces/t.jsonl", shorthand.Load.Trace!.File);
        Assert.Equal(1.0, shorthand.Load.Speed);
        Assert.Null(shorthand.Load.Window);

        var blob = WorkloadLoader.LoadText("name: b\ntarget: { url: \"http://127.0.0.1:5080/\" }\nload: { model: replay, trace: { blob: traces/prod-1h.jsonl } }", "b.yaml", null, TestWorkloads.Environment);
        Assert.Equal("traces/prod-1h.jsonl", blob.Load.Trace!.Blob);
    }

    [Fact]
    public void LoadFile_FieldsThatMakeNoSenseWithReplay_AreRefusedNamingThem()
    {
        var errors = Errors(Write(
            "{ model: replay, trace: traces/t.jsonl, rate: 10/s, duration: 5s, warmup: 1s, concurrency: 3, arrivals: poisson }",
            "requests: [{ name: a, url: /x }]"));

        Assert.Contains("the trace sets every arrival", errors["load.rate"], StringComparison.Ordinal);
        Assert.Contains("span ÷ speed", errors["load.duration"], StringComparison.Ordinal);
        Assert.Contains("no warm-up", errors["load.warmup"], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("load.concurrency"));
        Assert.True(errors.ContainsKey("load.arrivals"));
        Assert.True(errors.ContainsKey("requests"));
    }

    [Theory]
    [InlineData("{ model: replay, trace: traces/t.jsonl, speed: 0.001 }", "load.speed", "out of bounds")]
    [InlineData("{ model: replay, trace: traces/t.jsonl, speed: 101 }", "load.speed", "out of bounds")]
    [InlineData("{ model: replay }", "load.trace", "needs a trace")]
    [InlineData("{ model: replay, trace: ../t.jsonl }", "load.trace", "leaves")]
    [InlineData("{ model: replay, trace: /etc/t.jsonl }", "load.trace", "absolute")]
    [InlineData("{ model: replay, trace: traces/t.csv }", "load.trace", ".jsonl")]
    [InlineData("{ model: replay, trace: traces/missing.jsonl }", "load.trace", "does not exist")]
    [InlineData("{ model: replay, trace: { file: traces/t.jsonl, blob: traces/t.jsonl } }", "load.trace", "exactly one")]
    [InlineData("{ model: replay, trace: { blob: https://evil.example/t.jsonl } }", "load.trace.blob", "URL")]
    [InlineData("{ model: replay, trace: { blob: datasets/t.jsonl } }", "load.trace.blob", "not in traces/")]
    [InlineData("{ model: replay, trace: { blob: traces/../results/x.jsonl } }", "load.trace.blob", "'..'")]
    [InlineData("{ model: replay, trace: traces/t.jsonl, window: { from: 1h } }", "load.window", "no recorded request")]
    [InlineData("{ model: replay, trace: traces/t.jsonl, window: { from: 0s, duration: 0s } }", "load.window.duration", "positive")]
    [InlineData("{ rate: 10/s, duration: 1s, trace: traces/t.jsonl, speed: 2 }", "load.trace", "replay model")]
    public void LoadFile_BadReplay_IsRefusedNamingTheField(string load, string field, string expected)
    {
        var errors = Errors(Write(load));

        Assert.True(errors.ContainsKey(field), $"no error at {field}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
        Assert.Contains(expected, errors[field], StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_AMalformedTraceLine_IsRefusedNamingLoadTraceAndTheLine()
    {
        File.AppendAllText(Path.Combine(_folder, "traces", "t.jsonl"), "{\"t\":\"2026-12-01T10:00:05Z\",\"path\":\"//evil.example/steal\"}\n");

        var errors = Errors(Write("{ model: replay, trace: traces/t.jsonl }"));

        Assert.StartsWith("line 101: 'path'", errors["load.trace"], StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_ACapacitySearchOnAReplay_IsRefused()
    {
        var errors = Errors(Write("{ model: replay, trace: traces/t.jsonl }", "capacity: { slo: [\"p(99) < 250ms\"], startRate: 10/s, maxRate: 100/s }"));

        Assert.True(errors.TryGetValue("capacity", out var capacity), string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Contains("open model", capacity, StringComparison.Ordinal);
    }
}
