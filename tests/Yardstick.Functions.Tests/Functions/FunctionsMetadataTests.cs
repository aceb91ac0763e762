using System.Reflection;
using System.Text.Json.Nodes;
using Yardstick.Functions.Tests.Infra;
using Yardstick.Orchestration;

namespace Yardstick.Functions.Tests.Functions;

/// <summary>
/// The built <c>functions.metadata</c> (what the Functions host indexes) lists every function with the right trigger
/// and bindings. It is produced by the Worker SDK when Yardstick.Functions builds, next to its binaries.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> Functions = new(Load);

    [Fact]
    public void Metadata_EveryRegistryOrchestrator_HasAnOrchestrationTrigger()
    {
        foreach (var task in TaskRegistry.Orchestrators)
        {
            var binding = Assert.Single(Bindings(task.Name));
            Assert.Equal("orchestrationTrigger", (string?)binding["type"]);
            Assert.Equal("In", (string?)binding["direction"]);
        }
    }

    [Fact]
    public void Metadata_EveryRegistryActivity_HasAnActivityTrigger()
    {
        foreach (var task in TaskRegistry.Activities)
        {
            var binding = Assert.Single(Bindings(task.Name));
            Assert.Equal("activityTrigger", (string?)binding["type"]);
            Assert.Equal("In", (string?)binding["direction"]);
        }
    }

    [Theory]
    [InlineData("StartRun", "post", "runs", true)]
    [InlineData("StartSweep", "post", "sweeps", true)]
    [InlineData("GetRun", "get", "runs/{id}", true)]
    [InlineData("ListRuns", "get", "runs", false)]
    [InlineData("Gate", "post", "gate", true)]
    [InlineData("PromoteBaseline", "post", "baselines/{workload}", false)]
    [InlineData("GetRunReport", "get", "runs/{id}/report", false)]
    [InlineData("PushWorkload", "put", "workloads/{name}", false)]
    [InlineData("ListWorkloadVersions", "get", "workloads/{name}/versions", false)]
    [InlineData("GetWorkloadVersion", "get", "workloads/{name}/versions/{version}", false)]
    [InlineData("RetireWorkloadVersion", "delete", "workloads/{name}/versions/{version}", false)]
    [InlineData("ListWorkloads", "get", "workloads", false)]
    [InlineData("GetWorkloadTrend", "get", "workloads/{name}/trend", false)]
    [InlineData("AddWorkloadSilence", "post", "workloads/{name}/silences", false)]
    [InlineData("ListWorkloadSilences", "get", "workloads/{name}/silences", false)]
    [InlineData("Dashboard", "get", "dashboard", false)]
    [InlineData("WorkloadDashboard", "get", "dashboard/{name}", false)]
    public void Metadata_HttpFunctions_UseFunctionKeysWithTheirMethodAndRoute(string name, string method, string route, bool durableClient)
    {
        var bindings = Bindings(name);

        var trigger = Assert.Single(bindings, b => (string?)b["type"] == "httpTrigger");
        Assert.Equal("Function", (string?)trigger["authLevel"]);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(route, (string?)trigger["route"]);
        var output = Assert.Single(bindings, b => (string?)b["type"] == "http");
        Assert.Equal("Out", (string?)output["direction"]);
        Assert.Equal(durableClient, bindings.Any(b => (string?)b["type"] == "durableClient"));
    }

    [Fact]
    public void Metadata_ScheduledRuns_IsATimerTickingEveryMinute()
    {
        var bindings = Bindings("ScheduledRuns");

        var trigger = Assert.Single(bindings, b => (string?)b["type"] == "timerTrigger");
        Assert.Equal("0 * * * * *", (string?)trigger["schedule"]);
        Assert.Single(bindings, b => (string?)b["type"] == "durableClient");
    }

    [Fact]
    public void Metadata_RestoreTerminatedRuns_IsATimerEveryTenMinutesWithADurableClient()
    {
        var bindings = Bindings("RestoreTerminatedRuns");
        var trigger = bindings.Single(b => (string?)b["type"] == "timerTrigger");

        Assert.Equal("0 */10 * * * *", (string?)trigger["schedule"]);
        Assert.Contains(bindings, b => (string?)b["type"] == "durableClient");
    }

    [Fact]
    public void Metadata_ListsExactlyTheRegistryTasksAndTheApiAndTimerFunctions()
    {
        var expected = TaskRegistry.All.Select(t => t.Name).Concat(["StartRun", "StartSweep", "GetRun", "ListRuns", "Gate", "PromoteBaseline", "GetRunReport", "ScheduledRuns", "RestoreTerminatedRuns", "PushWorkload", "ListWorkloadVersions", "GetWorkloadVersion", "RetireWorkloadVersion", "ListWorkloads", "GetWorkloadTrend", "AddWorkloadSilence", "ListWorkloadSilences", "Dashboard", "WorkloadDashboard"]).Order(StringComparer.Ordinal);

        Assert.Equal(expected, Functions.Value.Keys.Order(StringComparer.Ordinal));
    }

    private static List<JsonObject> Bindings(string name)
    {
        Assert.True(Functions.Value.TryGetValue(name, out var function), $"functions.metadata has no function '{name}'");
        return function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
    }

    private static Dictionary<string, JsonObject> Load()
    {
        var path = MetadataPath();
        var functions = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return functions.Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!, StringComparer.Ordinal);
    }

    /// <summary>The Functions project's output folder for the configuration these tests were built in.</summary>
    private static string MetadataPath()
    {
        var configuration = typeof(FunctionsMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = RepoPaths.Of($"src/Yardstick.Functions/bin/{configuration}/{framework}/functions.metadata");
        Assert.True(File.Exists(path), $"no functions.metadata at {path}: build src/Yardstick.Functions first.");
        return path;
    }
}
