using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadLoaderTests
{
    private const string AllFieldsJson = """
        {
          "name": "all-fields",
          "description": "every field set",
          "target": {
            "url": "https://127.0.0.1:5443/api/work?code=${env:FUNCTION_KEY}",
            "method": "POST",
            "headers": { "Content-Type": "application/json", "x-functions-key": "${env:FUNCTION_KEY}" },
            "body": "{\"n\": 1}",
            "httpVersion": "2",
            "transport": "handler",
            "instanceHeader": "x-served-by",
            "insecureSkipTlsVerify": true,
            "process": {
              "command": "dotnet",
              "args": ["run", "--no-build"],
              "workingDirectory": "../app",
              "env": { "APP_KEY": "${env:FUNCTION_KEY}", "MODE": "bench" },
              "readyUrl": "https://127.0.0.1:5443/health",
              "readyTimeout": "45s"
            },
            "azure": {
              "resourceId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app",
              "logAnalyticsWorkspaceId": "11111111-2222-3333-4444-555555555555"
            }
          },
          "load": {
            "model": "open",
            "startRate": "10/s",
            "stages": [ { "duration": "1m", "target": "600/m" }, { "duration": "30s", "target": "20/s" } ],
            "duration": "1m30s",
            "warmup": "5s",
            "shards": 3,
            "maxInFlight": 64,
            "connections": 32,
            "timeout": "2s",
            "minShardSuccess": 0.5,
            "seed": 42,
            "arrivals": "poisson"
          },
          "coldStart": {
            "strategy": "idle", "probes": 7, "warmRequests": 2, "idleTime": "25m", "settle": "3s",
            "probeTimeout": "90s", "url": "https://127.0.0.1:5443/api/hello"
          },
          "cost": {
            "plan": "flexConsumptionAlwaysReady", "region": "westeurope", "instanceMemoryMB": 4096,
            "alwaysReadyInstances": 2, "includeFreeGrant": true, "pricingFile": "pricing/custom.json"
          },
          "compare": {
            "metrics": ["p50", "p90", "coldStartP50", "costPerRequest"], "margin": 0.1, "alpha": 0.05,
            "repeat": 5, "baseline": "rolling( 10 )", "environment": "staging"
          },
          "thresholds": ["p(99.9) <= 1s", "costPerRequest < 0.000002"],
          "sweep": { "parameter": "appSetting:FEATURE_X", "values": ["on", "off", true] },
          "schedule": "nightly",
          "tags": { "commit": "abc123", "pipeline": "ci" }
        }
        """;

    [Fact]
    public void LoadText_JsonWithEveryField_MapsEveryField()
    {
        var w = WorkloadLoader.LoadText(AllFieldsJson, "all.json", environment: TestWorkloads.Environment);

        Assert.Equal("all-fields", w.Name);
        Assert.Equal("every field set", w.Description);
        var t = w.Target;
        Assert.Equal("https://127.0.0.1:5443/api/work?code=${env:FUNCTION_KEY}", t.Url);
        Assert.Equal("POST", t.Method);
        Assert.Equal("application/json", t.Headers["Content-Type"]);
        Assert.Equal("{\"n\": 1}", t.Body);
        Assert.Equal("2", t.HttpVersion);
        Assert.Equal(TransportKind.Handler, t.Transport);
        Assert.Equal("x-served-by", t.InstanceHeader);
        Assert.True(t.InsecureSkipTlsVerify);
        Assert.Equal("dotnet", t.Process!.Command);
        Assert.Equal(["run", "--no-build"], t.Process.Args);
        Assert.Equal("../app", t.Process.WorkingDirectory);
        Assert.Equal("${env:FUNCTION_KEY}", t.Process.Env["APP_KEY"]);
        Assert.Equal("bench", t.Process.Env["MODE"]);
        Assert.Equal("https://127.0.0.1:5443/health", t.Process.ReadyUrl);
        Assert.Equal(TimeSpan.FromSeconds(45), t.Process.ReadyTimeout);
        Assert.Equal("11111111-2222-3333-4444-555555555555", t.Azure!.LogAnalyticsWorkspaceId);

        var l = w.Load;
        Assert.Equal(LoadModel.Open, l.Model);
        Assert.Equal(new Rate(10), l.StartRate);
        Assert.Equal([new StageSpec(TimeSpan.FromMinutes(1), new Rate(10)), new StageSpec(TimeSpan.FromSeconds(30), new Rate(20))], l.Stages);
        Assert.Equal(TimeSpan.FromSeconds(90), l.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), l.Warmup);
        Assert.Equal(3, l.Shards);
        Assert.Equal(64, l.MaxInFlight);
        Assert.Equal(32, l.Connections);
        Assert.Equal(TimeSpan.FromSeconds(2), l.Timeout);
        Assert.Equal(0.5, l.MinShardSuccess);
        Assert.Equal(42, l.Seed);
        Assert.Equal(ArrivalProcess.Poisson, l.Arrivals);

        var c = w.ColdStart;
        Assert.Equal((ColdStartStrategy.Idle, 7, 2), (c.Strategy, c.Probes, c.WarmRequests));
        Assert.Equal((TimeSpan.FromMinutes(25), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(90)), (c.IdleTime, c.Settle, c.ProbeTimeout));
        Assert.Equal("https://127.0.0.1:5443/api/hello", c.Url);

        var cost = w.Cost!;
        Assert.Equal((HostingPlan.FlexConsumptionAlwaysReady, "westeurope", 4096, 2), (cost.Plan, cost.Region, cost.InstanceMemoryMB, cost.AlwaysReadyInstances));
        Assert.True(cost.IncludeFreeGrant);
        Assert.Equal("pricing/custom.json", cost.PricingFile);

        Assert.Equal(["p50", "p90", "coldStartP50", "costPerRequest"], w.Compare.Metrics);
        Assert.Equal((0.1, 0.05, 5, "rolling(10)", "staging"), (w.Compare.Margin, w.Compare.Alpha, w.Compare.Repeat, w.Compare.Baseline, w.Compare.Environment));
        Assert.Equal(["p(99.9) <= 1s", "costPerRequest < 0.000002"], w.Thresholds);
        Assert.Equal("appSetting:FEATURE_X", w.Sweep!.Parameter);
        Assert.Equal(["on", "off", "true"], w.Sweep.Values);
        Assert.Equal("nightly", w.Schedule);
        Assert.Equal("abc123", w.Tags["commit"]);
        Assert.Null(w.SourceDirectory);
    }

    [Fact]
    public void LoadText_PremiumAndConsumptionPlans_MapPlanSettings()
    {
        var premium = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncost: { plan: premium, premiumVcpu: 2, premiumMemoryGB: 7, premiumInstances: 3 }\n", "p.yaml");
        var consumption = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncost: { plan: consumption, region: uksouth, executionMemoryMB: 160 }\n", "c.yaml");

        Assert.Equal((HostingPlan.Premium, 2.0, 7.0, 3), (premium.Cost!.Plan, premium.Cost.PremiumVcpu, premium.Cost.PremiumMemoryGB, premium.Cost.PremiumInstances));
        Assert.Equal((HostingPlan.Consumption, "uksouth", 160), (consumption.Cost!.Plan, consumption.Cost.Region, consumption.Cost.ExecutionMemoryMB));
    }

    [Fact]
    public void LoadText_Defaults_ComeFromTheRecords()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "min.yaml");

        Assert.Equal(("GET", "1.1", TransportKind.Auto, "x-instance-id", false), (w.Target.Method, w.Target.HttpVersion, w.Target.Transport, w.Target.InstanceHeader, w.Target.InsecureSkipTlsVerify));
        Assert.Equal((1, 1000, TimeSpan.FromSeconds(10), 0.75), (w.Load.Shards, w.Load.MaxInFlight, w.Load.Timeout, w.Load.MinShardSuccess));
        Assert.Equal((0.05, 0.01, 1, "current"), (w.Compare.Margin, w.Compare.Alpha, w.Compare.Repeat, w.Compare.Baseline));
        Assert.Empty(w.Tags);
    }

    [Fact]
    public void LoadText_JsonAndYamlOfTheSameWorkload_AreEqual()
    {
        var json = """{ "name": "minimal", "target": { "url": "http://127.0.0.1:5080/api/hello" }, "load": { "rate": "10/s", "duration": "5s" } }""";

        var fromJson = WorkloadLoader.LoadText(json, "m.json");
        var fromYaml = WorkloadLoader.LoadText(TestWorkloads.Minimal, "m.yaml");

        Assert.Equal(WorkloadFingerprint.CanonicalJson(fromYaml), WorkloadFingerprint.CanonicalJson(fromJson));
        Assert.Equal(fromYaml.Name, fromJson.Name);
    }

    [Fact]
    public void LoadText_MarginAsPercentString_IsAFraction()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncompare: { margin: \"2.5%\" }\n", "m.yaml");

        Assert.Equal(0.025, w.Compare.Margin, 12);
    }

    [Fact]
    public void ResolveWorkingDirectory_Relative_ResolvesAgainstTheFileFolder()
    {
        var dir = Directory.CreateTempSubdirectory("yardstick-wl-");
        try
        {
            var file = Path.Combine(dir.FullName, "w.yaml");
            File.WriteAllText(file, TestWorkloads.Minimal.Replace("  url: http://127.0.0.1:5080/api/hello", "  url: http://127.0.0.1:5080/api/hello\n  process:\n    command: sample-target\n    workingDirectory: ../app", StringComparison.Ordinal));

            var w = WorkloadLoader.LoadFile(file);

            Assert.Equal("../app", w.Target.Process!.WorkingDirectory);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir.FullName, "..", "app")), WorkloadLoader.ResolveWorkingDirectory(w));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadText_DuplicateKey_ReportsPosition()
    {
        var ex = TestWorkloads.Invalid(TestWorkloads.Minimal + "\nname: again\n");

        var error = Assert.Single(ex.Errors);
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(7, error.Line);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("- a\n- b\n", "a workload is a mapping of fields")]
    [InlineData("name: a\n---\nname: b\n", "several YAML documents")]
    public void LoadText_NotAWorkloadDocument_SaysWhy(string text, string message)
    {
        var ex = TestWorkloads.Invalid(text);

        Assert.Contains(message, Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }
}
