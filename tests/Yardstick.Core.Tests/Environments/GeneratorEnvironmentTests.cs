using System.Text;
using Yardstick.Core.Environments;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Environments;

public sealed class GeneratorEnvironmentTests
{
    private const string Secret = "ys-test-secret-7f3c9a1e5b";

    [Fact]
    public void Capture_Local_RecordsTheMachineFactsAndNoInstanceSettings()
    {
        var asked = new List<string>();
        var environment = GeneratorEnvironmentCapture.Capture("local", name =>
        {
            asked.Add(name);
            return name == GeneratorEnvironmentCapture.RegionSetting ? "westeurope" : null;
        });

        Assert.Equal("local", environment.HostKind);
        Assert.Equal(Environment.ProcessorCount, environment.LogicalCores);
        Assert.Contains(environment.Os, new[] { "linux", "windows", "osx", "other" });
        Assert.StartsWith(".NET ", environment.Runtime, StringComparison.Ordinal);
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), environment.Architecture);
        Assert.Equal(System.Runtime.GCSettings.IsServerGC, environment.ServerGc);
        Assert.False(string.IsNullOrEmpty(environment.Kernel));
        Assert.False(string.IsNullOrEmpty(environment.OsDescription));
        Assert.StartsWith("1.", environment.YardstickVersion, StringComparison.Ordinal);
        Assert.True(environment.MemoryMB > 0);
        if (OperatingSystem.IsLinux())
        {
            Assert.False(string.IsNullOrEmpty(environment.CpuModel));
        }

        // Region, SKU and instance memory describe a Functions instance; on a developer's machine they are not recorded.
        Assert.Null(environment.Region);
        Assert.Null(environment.Sku);
        Assert.Null(environment.InstanceMemoryMB);
        Assert.All(asked, name => Assert.Contains(name, AllowedSettings));
    }

    [Fact]
    public void Capture_Functions_ReadsRegionSkuAndMemoryFromTheirSettings()
    {
        var settings = new Dictionary<string, string>
        {
            [GeneratorEnvironmentCapture.RegionSetting] = "swedencentral",
            [GeneratorEnvironmentCapture.SkuSetting] = "FlexConsumption",
            [GeneratorEnvironmentCapture.InstanceMemorySetting] = "2048",
        };

        var environment = GeneratorEnvironmentCapture.Capture("functions", settings.GetValueOrDefault);

        Assert.Equal(("functions", "swedencentral", "FlexConsumption", (int?)2048), (environment.HostKind, environment.Region, environment.Sku, environment.InstanceMemoryMB));
        Assert.Contains("swedencentral FlexConsumption 2048 MB", environment.Digest(), StringComparison.Ordinal);

        // Without Yardstick's own region setting the platform's REGION_NAME is used.
        var platform = GeneratorEnvironmentCapture.Capture("functions", n => n == GeneratorEnvironmentCapture.PlatformRegionSetting ? "East US" : null);
        Assert.Equal("East US", platform.Region);
    }

    [Theory]
    [InlineData("https://evil.example/?k=v", "-5")]
    [InlineData("west\neurope", "99999999999")]
    [InlineData("a;b", "2048MB")]
    public void Capture_Functions_MalformedSettings_AreNotRecorded(string region, string memory)
    {
        var environment = GeneratorEnvironmentCapture.Capture("functions", n => n switch
        {
            GeneratorEnvironmentCapture.RegionSetting => region,
            GeneratorEnvironmentCapture.SkuSetting => new string('x', 500),
            GeneratorEnvironmentCapture.InstanceMemorySetting => memory,
            _ => null,
        });

        Assert.Null(environment.Region);
        Assert.Null(environment.Sku);
        Assert.Null(environment.InstanceMemoryMB);
    }

    [Fact]
    public void Capture_NoEnvironmentVariableValueOrMachineNameIsStored()
    {
        const string Name = "YARDSTICK_SECRET_ENVCAP_TEST";
        Environment.SetEnvironmentVariable(Name, Secret);
        try
        {
            // The real process environment, on both host kinds, and a setting source that answers every name with the secret
            // except the four it may read.
            var captured = new[]
            {
                GeneratorEnvironmentCapture.Current("local"),
                GeneratorEnvironmentCapture.Current("functions"),
                GeneratorEnvironmentCapture.Capture("functions", n => AllowedSettings.Contains(n) ? null : Secret),
            };
            var summary = new RunSummary
            {
                RunId = "r",
                Workload = "w",
                Status = "completed",
                LatencyMs = new LatencySummary(),
                SchedulingLagMs = new LagSummary(),
                Environment = new RunEnvironment { Generators = RunEnvironments.Merge(captured.Select((e, i) => ($"m-r0-s{i}", (GeneratorEnvironment?)e))) },
            };

            var json = YardstickJson.Serialize(summary, indented: true) + YardstickJson.Serialize(captured);

            Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(Name, json, StringComparison.Ordinal);
            var machine = Environment.MachineName;
            if (machine.Length >= 6 && !captured[0].OsDescription.Contains(machine, StringComparison.OrdinalIgnoreCase))
            {
                Assert.DoesNotContain(machine, json, StringComparison.OrdinalIgnoreCase);
            }

            var user = Environment.UserName;
            if (user.Length >= 6)
            {
                Assert.DoesNotContain(user, json, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    [Fact]
    public void Merge_TwoDistinctEnvironments_TwoEntriesWithTheirShards()
    {
        var a = Sample() with { LogicalCores = 2 };
        var b = Sample() with { LogicalCores = 4 };

        var entries = RunEnvironments.Merge([("m-r0-s0", a), ("m-r0-s1", b), ("m-r0-s2", a with { }), ("m-r0-s3", null), ("m-r1-s0", b)]);

        Assert.Equal(2, entries.Count);
        Assert.Equal(a, entries[0].Environment);
        Assert.Equal(["m-r0-s0", "m-r0-s2"], entries[0].Shards);
        Assert.Equal(b, entries[1].Environment);
        Assert.Equal(["m-r0-s1", "m-r1-s0"], entries[1].Shards);
        // The Runs row's fingerprint: the same for the same environments in another order or over other shards, else different.
        var fingerprint = new RunEnvironment { Generators = entries }.Fingerprint();
        Assert.Matches("^[0-9a-f]{16}$", fingerprint);
        Assert.Equal(fingerprint, new RunEnvironment { Generators = RunEnvironments.Merge([("x", b), ("y", a)]) }.Fingerprint());
        Assert.NotEqual(fingerprint, new RunEnvironment { Generators = RunEnvironments.Merge([("x", a)]) }.Fingerprint());
        Assert.Equal("", new RunEnvironment().Fingerprint());
        Assert.StartsWith("2 generator environments (first: local · linux 6.8.0.1021 · 2 cores", new RunEnvironment { Generators = entries }.Digest(), StringComparison.Ordinal);
    }

    [Fact]
    public void Differences_NamesTheFieldsThatDiffer_AndNothingWhenEqualOrNotRecorded()
    {
        var baseline = Run(Sample());

        Assert.Empty(RunEnvironments.Differences(Run(Sample()), baseline));
        Assert.Equal(
            ["logicalCores 2 vs 4", "runtime .NET 10.0.0 vs .NET 10.0.1"],
            RunEnvironments.Differences(Run(Sample() with { LogicalCores = 2, Runtime = ".NET 10.0.0" }), baseline));
        Assert.Equal(["hostKind functions vs local", "sku FlexConsumption vs unknown"], RunEnvironments.Differences(Run(Sample() with { HostKind = "functions", Sku = "FlexConsumption" }), baseline));

        // Several generator environments on one side: the field's values joined.
        Assert.Equal(["logicalCores 2/4 vs 4"], RunEnvironments.Differences(Run(Sample(), Sample() with { LogicalCores = 2 }), baseline));

        // Older summaries (no environment) are not compared.
        Assert.Empty(RunEnvironments.Differences(null, baseline));
        Assert.Empty(RunEnvironments.Differences(baseline, new RunEnvironment()));

        // The target too.
        var withTarget = baseline with { Target = new TargetEnvironment { Kind = "process", Command = "./target", ExecutableSha256 = "aaaa" } };
        Assert.Equal(["target.executableSha256 bbbb vs aaaa"], RunEnvironments.Differences(withTarget with { Target = withTarget.Target! with { ExecutableSha256 = "bbbb" } }, withTarget));
    }

    [Fact]
    public void Target_ProcessAzureAndUrl()
    {
        var directory = Directory.CreateTempSubdirectory("ys-envcap-");
        try
        {
            var executable = Path.Combine(directory.FullName, "target.sh");
            File.WriteAllText(executable, "#!/bin/sh\necho hi\n", Encoding.ASCII);
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(executable)))[..16];

            var process = RunEnvironments.Target(Workload(new TargetSpec { Url = "http://127.0.0.1:5000/", Process = new ProcessSpec { Command = "./target.sh", Args = ["--port", "5000"] } }), directory.FullName);
            Assert.Equal(("process", "./target.sh", expected), (process.Kind, process.Command, process.ExecutableSha256));
            Assert.Equal(["--port", "5000"], process.Args);

            var missing = RunEnvironments.Target(Workload(new TargetSpec { Url = "http://127.0.0.1:5000/", Process = new ProcessSpec { Command = "./absent" } }), directory.FullName);
            Assert.Null(missing.ExecutableSha256);
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        var azure = RunEnvironments.Target(
            Workload(new TargetSpec { Url = "https://app.example/", Azure = new AzureTargetSpec { ResourceId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/my-app" } }) with
            {
                Cost = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = "westeurope", InstanceMemoryMB = 4096, AlwaysReadyInstances = 1 },
            },
            null);
        Assert.Equal(("azure", "my-app", "FlexConsumption", "westeurope", (int?)4096, (int?)1), (azure.Kind, azure.Site, azure.Plan, azure.Region, azure.InstanceMemoryMB, azure.AlwaysReadyInstances));
        Assert.Equal("azure my-app FlexConsumption westeurope 4096 MB", azure.Digest());
        Assert.Equal(("workload", (int?)null), (azure.Source, azure.MaximumInstances));

        // Scale settings ARM reported at the start of the run win over the cost block's figures.
        var read = RunEnvironments.Target(
            Workload(new TargetSpec { Url = "https://app.example/", Azure = new AzureTargetSpec { ResourceId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/my-app" } }),
            null,
            new Ports.FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 100, HttpPerInstanceConcurrency = 16, AlwaysReady = [new Ports.AlwaysReadySetting("http", 3), new Ports.AlwaysReadySetting("function:Other", 5)] });
        Assert.Equal(((int?)2048, (int?)100, (int?)16, (int?)3, "arm"), (read.InstanceMemoryMB, read.MaximumInstances, read.PerInstanceConcurrency, read.AlwaysReadyInstances, read.Source));
        Assert.Equal(["target.instanceMemoryMB 2048 vs 4096", "target.maximumInstances 100 vs unknown", "target.perInstanceConcurrency 16 vs unknown"],
            RunEnvironments.Differences(new RunEnvironment { Generators = [new GeneratorEnvironmentEntry { Environment = Sample() }], Target = read with { Plan = azure.Plan, Region = azure.Region, AlwaysReadyInstances = 1 } },
                new RunEnvironment { Generators = [new GeneratorEnvironmentEntry { Environment = Sample() }], Target = azure }));

        Assert.Equal("url", RunEnvironments.Target(Workload(new TargetSpec { Url = "http://127.0.0.1/" }), null).Kind);
    }

    [Fact]
    public void Changes_ExecutableReplacedDuringTheRun_IsAChange()
    {
        var directory = Directory.CreateTempSubdirectory("ys-envchg-");
        try
        {
            var executable = Path.Combine(directory.FullName, "target.sh");
            File.WriteAllText(executable, "#!/bin/sh\necho v1\n", Encoding.ASCII);
            var workload = Workload(new TargetSpec { Url = "http://127.0.0.1:5000/", Process = new ProcessSpec { Command = "./target.sh" } });
            var start = RunEnvironments.Target(workload, directory.FullName);
            Assert.Empty(RunEnvironments.Changes(start, RunEnvironments.Target(workload, directory.FullName)));

            File.WriteAllText(executable, "#!/bin/sh\necho v2\n", Encoding.ASCII);
            var end = RunEnvironments.Target(workload, directory.FullName);

            Assert.Equal([$"target.executableSha256 {start.ExecutableSha256} → {end.ExecutableSha256}"], RunEnvironments.Changes(start, end));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Changes_ArmFields_OnlyWhenBothReadsCameFromArm_AndNotWhatTheSweepVaries()
    {
        var workload = Workload(new TargetSpec { Url = "https://app.example/", Azure = new AzureTargetSpec { ResourceId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/my-app" } }) with
        {
            Cost = new CostSpec { Plan = HostingPlan.FlexConsumption, InstanceMemoryMB = 4096 },
        };
        var start = RunEnvironments.Target(workload, null, new Ports.FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 100, HttpPerInstanceConcurrency = 16 });
        var end = RunEnvironments.Target(workload, null, new Ports.FlexScaleSettings { InstanceMemoryMB = 4096, MaximumInstanceCount = 40, HttpPerInstanceConcurrency = 16 });

        Assert.Equal(["target.instanceMemoryMB 2048 → 4096", "target.maximumInstances 100 → 40"], RunEnvironments.Changes(start, end));
        Assert.Equal(["target.maximumInstances 100 → 40"], RunEnvironments.Changes(start, end, new HashSet<string> { RunEnvironments.FieldOfSweepParameter("instanceMemoryMB")! }));

        // The end read failed: the cost block's 4096 MB stands in, which is not a change.
        Assert.Empty(RunEnvironments.Changes(start, RunEnvironments.Target(workload, null)));
        Assert.Null(RunEnvironments.FieldOfSweepParameter("appSetting:WORKERS"));
    }

    [Fact]
    public void OldSummaryAndShardResult_WithoutEnvironment_StillLoad()
    {
        const string OldSummary = """
            {"schemaVersion":1,"runId":"20261101T000000Z-abc","workload":"hello","status":"completed","requests":10,"latencyMs":{"p50":1,"p99":2},"schedulingLagMs":{"p50":0,"p99":0},
             "verdict":{"overall":"equivalent","explanation":"same","metrics":[],"thresholds":[]}}
            """;
        var summary = YardstickJson.Deserialize<RunSummary>(OldSummary);
        Assert.Null(summary.Environment);
        Assert.Empty(summary.Verdict!.EnvironmentDifferences);

        const string OldShard = """{"schemaVersion":1,"runId":"r","shardIndex":0,"requests":1,"latency":{"base64":""},"serviceTime":{"base64":""},"schedulingLag":{"base64":""},"worker":"m/1"}""";
        Assert.Null(YardstickJson.Deserialize<ShardResult>(OldShard).Environment);

        // And the section round-trips.
        var stored = summary with { Environment = Run(Sample()) with { Target = new TargetEnvironment { Kind = "url" } } };
        var again = YardstickJson.Deserialize<RunSummary>(YardstickJson.Serialize(stored));
        Assert.Equal(Sample(), again.Environment!.Generators.Single().Environment);
        Assert.Equal(["m-r0-s0"], again.Environment.Generators.Single().Shards);
        Assert.Equal("url", again.Environment.Target!.Kind);
    }

    private static readonly string[] AllowedSettings =
    [
        GeneratorEnvironmentCapture.RegionSetting,
        GeneratorEnvironmentCapture.PlatformRegionSetting,
        GeneratorEnvironmentCapture.SkuSetting,
        GeneratorEnvironmentCapture.InstanceMemorySetting,
    ];

    internal static GeneratorEnvironment Sample() => new()
    {
        HostKind = "local",
        Os = "linux",
        OsDescription = "Linux 6.8.0-1021-azure #25-Ubuntu SMP",
        Kernel = "6.8.0.1021",
        CpuModel = "AMD EPYC 7763 64-Core Processor",
        LogicalCores = 4,
        MemoryMB = 16_000,
        Runtime = ".NET 10.0.1",
        Architecture = "x64",
        ServerGc = false,
        YardstickVersion = "1.0.0+abc123",
    };

    private static RunEnvironment Run(params GeneratorEnvironment[] environments) =>
        new() { Generators = RunEnvironments.Merge(environments.Select((e, i) => ($"m-r0-s{i}", (GeneratorEnvironment?)e))) };

    private static Workload Workload(TargetSpec target) => new() { Name = "w", Target = target, Load = new LoadSpec() };
}
