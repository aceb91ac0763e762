using Yardstick.Core.Environments;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Orchestration.Tests.Analysis;

/// <summary>The verdict notes a baseline measured in another environment (never failing the run for it).</summary>
public sealed class EnvironmentVerdictTests
{
    private static readonly Workload Workload = new()
    {
        Name = "hello",
        Target = new TargetSpec { Url = "http://127.0.0.1:5000/" },
        Load = new LoadSpec(),
    };

    [Fact]
    public void Analyze_BaselineOnFewerCoresAndAnotherRuntime_NotesTheFieldsButKeepsTheVerdict()
    {
        var candidate = Run("cand", Environment(cores: 4, runtime: ".NET 10.0.1"));
        var baseline = Run("base", Environment(cores: 2, runtime: ".NET 10.0.0"));

        var noted = RunAnalyzer.Analyze(candidate, [baseline], Workload, calibration: null, note: null);
        var same = RunAnalyzer.Analyze(candidate, [Run("base", Environment(cores: 4, runtime: ".NET 10.0.1"))], Workload, calibration: null, note: null);

        Assert.Equal(["logicalCores 4 vs 2", "runtime .NET 10.0.1 vs .NET 10.0.0"], noted.Verdict.EnvironmentDifferences);
        Assert.EndsWith("Measured in a different environment than baseline run base: logicalCores 4 vs 2; runtime .NET 10.0.1 vs .NET 10.0.0.", noted.Verdict.Explanation, StringComparison.Ordinal);

        // A note, not a failure: the same verdict and thresholds as with an equal environment.
        Assert.Equal(same.Verdict.Overall, noted.Verdict.Overall);
        Assert.Equal(same.FailedThresholds, noted.FailedThresholds);
        Assert.Empty(same.Verdict.EnvironmentDifferences);
        Assert.DoesNotContain("environment", same.Verdict.Explanation, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EnvironmentNote_SeveralBaselines_CountsTheDifferingOnesAndListsEachFieldOnce()
    {
        var candidate = Run("cand", Environment(cores: 4, runtime: ".NET 10.0.1"));
        var baselines = new[] { Run("b1", Environment(cores: 2, runtime: ".NET 10.0.1")), Run("b2", Environment(cores: 2, runtime: ".NET 10.0.1")), Run("b3", Environment(cores: 4, runtime: ".NET 10.0.1")) };

        var (differences, note) = RunAnalyzer.EnvironmentNote(candidate, baselines);

        Assert.Equal(["logicalCores 4 vs 2"], differences);
        Assert.Equal("Measured in a different environment than 2 of 3 baseline runs: logicalCores 4 vs 2.", note);
    }

    [Fact]
    public void EnvironmentNote_BaselineFromBeforeCapture_NoNote()
    {
        var (differences, note) = RunAnalyzer.EnvironmentNote(Run("cand", Environment(4, ".NET 10.0.1")), [Run("old", null)]);

        Assert.Empty(differences);
        Assert.Null(note);
    }

    private static RunEnvironment? Environment(int cores, string runtime) => new()
    {
        Generators =
        [
            new GeneratorEnvironmentEntry
            {
                Environment = new GeneratorEnvironment { HostKind = "local", Os = "linux", Kernel = "6.8", LogicalCores = cores, Runtime = runtime, Architecture = "x64", YardstickVersion = "1.0.0" },
                Shards = ["m-r0-s0"],
            },
        ],
    };

    private static StoredRun Run(string id, RunEnvironment? environment)
    {
        var rounds = Enumerable.Range(0, 5).Select(i => new RoundSummary
        {
            Round = i,
            Requests = 1000,
            ThroughputRps = 100,
            LatencyMs = new LatencySummary { P50 = 10 + (i % 2), P90 = 15, P95 = 20 + (i % 3), P99 = 30 + i, Max = 50, Mean = 12 },
        }).ToList();
        var summary = new RunSummary
        {
            RunId = id,
            Workload = "hello",
            Status = "completed",
            Requests = 5000,
            Successes = 5000,
            LatencyMs = new LatencySummary { P50 = 10, P90 = 15, P95 = 21, P99 = 32, Max = 50, Mean = 12 },
            SchedulingLagMs = new LagSummary(),
            ThroughputRps = 100,
            DurationSeconds = 50,
            Rounds = rounds,
            Environment = environment,
        };
        return new StoredRun(summary, [], null, null);
    }
}
