using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadSemanticsTests
{
    private static WorkloadError SingleError(string text, params string[] overrides) =>
        Assert.Single(TestWorkloads.Invalid(text, overrides).Errors);

    [Theory]
    [InlineData("load.rate=250000/s", "load.rate", "250000/s is above the cap of 200,000/s")]
    [InlineData("load.duration=3h", "load.duration", "3h is above the cap of 2h per round")]
    [InlineData("load.warmup=31m", "load.warmup", "31m is above the cap of 30m")]
    [InlineData("load.timeout=6m", "load.timeout", "6m is above the cap of 5m")]
    [InlineData("load.timerSlack=11ms", "load.timerSlack", "11ms is above the cap of 10ms")]
    [InlineData("load.timerSlack=1h", "load.timerSlack", "1h is above the cap of 10ms")]
    [InlineData("load.maxInFlight=100001", "load.maxInFlight", "100,001 is above the cap of 100,000")]
    [InlineData("load.connections=10001", "load.connections", "10,001 is above the cap of 10,000")]
    [InlineData("load.shards=257", "load.shards", "257 is above the cap of 256")]
    [InlineData("compare.repeat=51", "compare.repeat", "51 is above the cap of 50")]
    [InlineData("coldStart.probes=101", "coldStart.probes", "101 is above the cap of 100")]
    public void LoadText_ValueAboveACap_NamesTheCap(string setting, string path, string message)
    {
        var text = TestWorkloads.Minimal.Replace("  url: http://127.0.0.1:5080/api/hello", "  url: http://127.0.0.1:5080/api/hello\n  process: { command: sample-target }", StringComparison.Ordinal)
            + "\ncoldStart: { strategy: process }\n";

        var error = SingleError(text, setting);

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1ms")]
    [InlineData("soon")]
    [InlineData("5")]
    public void LoadText_TimerSlackNotADuration_NamesTheField(string value)
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal, $"load.timerSlack={value}").Errors;

        Assert.Contains(errors, e => e.Path == "load.timerSlack");
    }

    [Theory]
    [InlineData("concurrency: 10001", "load.concurrency", "10,001 is above the cap of 10,000")]
    [InlineData("concurrency: 4, timerSlack: 1ms", "load.timerSlack", "applies to the open and replay models")]
    public void LoadText_ClosedModelBadSetting_NamesTheFieldOnItsLine(string settings, string path, string message)
    {
        var error = SingleError($"name: c\ntarget: {{ url: http://127.0.0.1:1/ }}\nload: {{ model: closed, {settings}, duration: 1s }}\n");

        Assert.Equal((path, 3), (error.Path, error.Line));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_TotalRequestsOfARampTimesSweep_CountsTheIntegral()
    {
        // (0 + 50000)/2 × 3600 s = 90,000,000 per round: under the cap alone, above it with 2 sweep values.
        const string text = """
            name: ramp-sweep
            target:
              url: https://app.example.net/api/hello
              azure: { resourceId: /subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app }
            load:
              stages: [ { duration: 1h, target: 50000/s } ]
            """;
        Assert.NotNull(WorkloadLoader.LoadText(text, "t.yaml"));

        var error = SingleError(text + "\nsweep: { parameter: maximumInstanceCount, values: [40, 100] }\n");

        Assert.Equal("load", error.Path);
        Assert.Contains("about 180,000,000 requests (rate × duration × repeat × sweep values)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_ResolvedReferences_AreNeverEchoed()
    {
        const string text = """
            name: secrets
            target:
              url: http://${env:FUNCTION_KEY}/api?code=${env:FUNCTION_KEY}
              insecureSkipTlsVerify: true
              headers: { Authorization: "Bearer ${env:FUNCTION_KEY}" }
            load: { rate: 10/s, duration: 5s }
            """;

        var ex = TestWorkloads.Invalid(text);

        Assert.NotEmpty(ex.Errors);
        Assert.DoesNotContain(TestWorkloads.FunctionKey, ex.Message, StringComparison.Ordinal);
        Assert.All(ex.Errors, e => Assert.DoesNotContain(TestWorkloads.FunctionKey, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_SecretWrittenAsANumber_IsNotEchoed()
    {
        var error = SingleError("name: s\ntarget: { url: \"http://127.0.0.1:1/\", headers: { x-api-key: 98765432 } }\nload: { rate: 1/s, duration: 1s }\n");

        Assert.Equal("target.headers.x-api-key", error.Path);
        Assert.Contains("put the value in quotes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("98765432", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_HostFromAReferenceResolvingToMetadata_IsRefusedWithoutEchoingIt()
    {
        const string text = "name: s\ntarget: { url: \"http://${env:TARGET_HOST}/x\" }\nload: { rate: 1/s, duration: 1s }\n";

        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadText(text, "t.yaml", environment: n => n == "TARGET_HOST" ? "169.254.169.254" : null));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("after resolving ${env:...} references) is a link-local", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("169.254", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target.body=${env:MISSING_BODY_VAR}", "target.body", "environment variable 'MISSING_BODY_VAR'")]
    [InlineData("target.url=http://127.0.0.1:1/?code=${env:MISSING_CODE}", "target.url", "environment variable 'MISSING_CODE'")]
    [InlineData("target.headers.x-key=${env:lower-case}", "target.headers.x-key", "'${env:lower-case}' is not a valid reference")]
    [InlineData("target.headers.x-key=${ENV:FUNCTION_KEY}", "target.headers.x-key", "'${ENV:FUNCTION_KEY}' is not a valid reference")]
    [InlineData("target.process.env.KEY=${env:MISSING_PROC}", "target.process.env.KEY", "environment variable 'MISSING_PROC'")]
    [InlineData("target.process.readyUrl=http://127.0.0.1:1/${env:FUNCTION_KEY}", "target.process.readyUrl", "resolved only in target.url, headers, body and process env")]
    public void LoadText_BadReference_NamesTheVariableAndField(string setting, string path, string message)
    {
        var text = TestWorkloads.Minimal.Replace("  url: http://127.0.0.1:5080/api/hello", "  url: http://127.0.0.1:5080/api/hello\n  process: { command: sample-target }", StringComparison.Ordinal);

        var error = SingleError(text, setting);

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_ReferencesThatResolve_Load()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml", ["target.headers.x-functions-key=${env:FUNCTION_KEY}", "target.body={\"k\": \"${env:FUNCTION_KEY}\"}"], TestWorkloads.Environment);

        Assert.True(SecretReferences.HasReferences(w.Target.Headers["x-functions-key"]));
    }

    [Theory]
    [InlineData("load: { rate: 10/s }", "load.duration", "is required: how long to measure")]
    [InlineData("load: { duration: 5s }", "load", "the open model needs rate")]
    [InlineData("load: { rate: 10/s, duration: 5s, concurrency: 5 }", "load.concurrency", "applies to the closed model")]
    [InlineData("load: { rate: 10/s, duration: 5s, startRate: 1/s }", "load.startRate", "applies to ramps only")]
    [InlineData("load: { model: closed, concurrency: 5, rate: 10/s, duration: 5s }", "load.rate", "applies to the open model")]
    [InlineData("load: { model: closed, concurrency: 2, shards: 3, duration: 5s }", "load.shards", "3 shards cannot share 2 virtual users")]
    [InlineData("load: { rate: 10/s, duration: 5s, shards: 4, connections: 2 }", "load.connections", "2 connections cannot serve 4 shards")]
    [InlineData("load: { rate: 10/s, duration: 5s, shards: 4, maxInFlight: 2 }", "load.shards", "4 shards cannot share maxInFlight 2")]
    [InlineData("load: { rate: 0/s, duration: 5s }", "load.rate", "must be positive")]
    [InlineData("load: { rate: 10/s, duration: 0s }", "load.duration", "must be positive")]
    [InlineData("load: { stages: [ { duration: 0s, target: 5/s } ] }", "load.stages[0].duration", "must be positive")]
    [InlineData("load: { stages: [ { duration: 5s, target: 0/s } ] }", "load.stages", "every stage targets 0/s")]
    [InlineData("load: { rate: 10/s, duration: 5s, minShardSuccess: 0 }", "load.minShardSuccess", "must be greater than 0 (found 0)")]
    public void LoadText_LoadShapeRule_NamesTheField(string load, string path, string message)
    {
        var error = SingleError($"name: l\ntarget: {{ url: http://127.0.0.1:1/ }}\n{load}\n");

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cost: { plan: flexConsumption, region: westeurop }", "cost.region", "'westeurop' is not an Azure region name; did you mean 'westeurope'?")]
    [InlineData("cost: { plan: flexConsumptionAlwaysReady }", "cost.alwaysReadyInstances", "needs at least 1 always-ready instance")]
    [InlineData("cost: { plan: flexConsumption, alwaysReadyInstances: 2 }", "cost.alwaysReadyInstances", "billed only on the flexConsumptionAlwaysReady plan")]
    [InlineData("cost: { plan: consumption, instanceMemoryMB: 2048 }", "cost.instanceMemoryMB", "applies to the Flex Consumption plans, not 'consumption'")]
    [InlineData("cost: { plan: premium, executionMemoryMB: 256 }", "cost.executionMemoryMB", "applies to the Consumption plan, not 'premium'")]
    [InlineData("cost: { plan: consumption, premiumVcpu: 2 }", "cost.premiumVcpu", "applies to the premium plan")]
    [InlineData("cost: { region: eastus }", "cost.plan", "required field 'plan' is missing from 'cost'")]
    [InlineData("compare: { margin: 0 }", "compare.margin", "0 is outside (0, 0.5]")]
    [InlineData("compare: { alpha: 0.3 }", "compare.alpha", "must be at most 0.2")]
    [InlineData("compare: { baseline: rolling(51) }", "compare.baseline", "rolling(51) needs N in 2..50")]
    [InlineData("compare: { baseline: latest }", "compare.baseline", "'latest' is not valid: current (the promoted run, default) or rolling(N)")]
    [InlineData("compare: { metrics: [coldStartP50] }", "compare.metrics[0]", "coldStartP50 needs cold-start probes")]
    [InlineData("compare: { metrics: [costPerRequest] }", "compare.metrics[0]", "costPerRequest needs a cost section")]
    [InlineData("thresholds: [\"p(95) < 200\"]", "thresholds[0]", "p95 needs a time unit")]
    [InlineData("thresholds: [\"coldStartP50 < 1s\"]", "thresholds[0]", "coldStartP50 needs cold-start probes")]
    [InlineData("coldStart: { strategy: process }", "coldStart.strategy", "'process' restarts the local target process, so it needs target.process")]
    [InlineData("coldStart: { strategy: idle, idleTime: 0s }", "coldStart.idleTime", "must be positive")]
    [InlineData("compare: { repeat: 4, against: { url: \"http://127.0.0.1:5080\" } }", "compare.against.url", "is the target's own origin")]
    [InlineData("compare: { repeat: 4, against: { url: \"http://127.0.0.1:6000/api\" } }", "compare.against.url", "give the reference's origin only")]
    [InlineData("compare: { repeat: 4, against: { url: \"http://169.254.169.254\" } }", "compare.against.url", "link-local")]
    [InlineData("compare: { repeat: 4, against: { url: \"http://${env:PROD}\" } }", "compare.against.url", "references are resolved only in")]
    [InlineData("compare: { against: { url: \"http://127.0.0.1:6000\" } }", "compare.repeat", "a paired gate (compare.against) needs at least 2 pairs of rounds; 1 given")]
    [InlineData("compare: { repeat: 2, against: { url: \"http://127.0.0.1:6000\" } }\nsweep: { parameter: \"appSetting:X\", values: [1, 2] }", "compare.against", "cannot be combined with a sweep")]
    [InlineData("compare: { repeat: 2, against: {} }", "compare.against.url", "required field 'url' is missing")]
    [InlineData("coldStart: { strategy: restart, idleTimes: [1m] }", "coldStart.idleTimes", "is for the idle strategy (the eviction curve)")]
    [InlineData("coldStart: { strategy: idle, idleTime: 1m, idleTimes: [2m] }", "coldStart.idleTimes", "set either idleTime (one idle time) or idleTimes")]
    [InlineData("coldStart: { strategy: idle, idleTimes: [1m, 5m, 1m] }", "coldStart.idleTimes[2]", "1m is listed twice")]
    [InlineData("coldStart: { strategy: idle, idleTimes: [25h] }", "coldStart.idleTimes[0]", "25h is outside (0, 24h]")]
    [InlineData("coldStart: { strategy: idle, idleTimes: [1m, soon] }", "coldStart.idleTimes[1]", "'soon' is not valid: A duration")]
    [InlineData("coldStart: { strategy: idle, idleTimes: [1m, { at: 2m }] }", "coldStart.idleTimes[1]", "expected a string, found a mapping")]
    [InlineData("coldStart: { strategy: idle, probes: 100, idleTimes: [10m, 20m] }", "coldStart.idleTimes", "100 probe(s) × 30m of idle time = 50h of waiting, above the cap of 48h")]
    [InlineData("coldStart: { strategy: idle, probes: 100, idleTime: 1h }", "coldStart.idleTime", "100 probe(s) × 1h of idle time = 100h of waiting, above the cap of 48h")]
    [InlineData("coldStart: { strategy: idle, probes: 1, idleTime: 30h }", "coldStart.idleTime", "30h is above the cap of 24h")]
    [InlineData("coldStart: { strategy: idle, idleTimes: [1s, 2s, 3s, 4s, 5s, 6s, 7s, 8s, 9s, 10s, 11s, 12s, 13s] }", "coldStart.idleTimes", "at most 12 items")]
    [InlineData("coldStart: { url: /relative }", "coldStart.url", "is not an absolute http or https URL")]
    [InlineData("sweep: { parameter: memory, values: [512] }", "sweep.parameter", "'memory' is not valid: instanceMemoryMB, perInstanceConcurrency")]
    [InlineData("sweep: { parameter: instanceMemory, values: [512] }", "sweep.parameter", "did you mean 'instanceMemoryMB'?")]
    [InlineData("sweep: { parameter: instanceMemoryMB, values: [] }", "sweep.values", "the list must not be empty")]
    [InlineData("schedule: daily", "schedule", "'daily' is not a schedule; write nightly, weekly, hourly or a six-field NCRONTAB expression")]
    [InlineData("schedule: \"0 */5 * * * *\"", "schedule", "fires 5 min apart; scheduled benchmark runs must be at least 15 minutes apart")]
    [InlineData("schedule: \"0 0 25 * * *\"", "schedule", "the hour field '25' has 25, outside 0..23")]
    [InlineData("schedule: 5", "schedule", "string")]
    [InlineData("slo: { window: 30d }", "slo", "names no objective")]
    [InlineData("slo: { availability: 100% }", "slo.availability", "100% is outside (0%, 100%)")]
    [InlineData("slo: { availability: 1.5 }", "slo.availability", "150% is outside (0%, 100%)")]
    [InlineData("slo: { availability: 99.9%, window: 400d }", "slo.window", "400 days is outside 1 hour .. 366 days")]
    [InlineData("slo: { latency: [{ threshold: 0ms, target: 99% }] }", "slo.latency[0].threshold", "must be positive")]
    [InlineData("slo: { latency: [{ threshold: 300ms }] }", "slo.latency[0].target", "required field 'target' is missing")]
    [InlineData("slo: { window: monthly, availability: 99% }", "slo.window", "monthly")]
    [InlineData("capacity: { slo: [\"rps > 5\"], maxRate: 100/s }", "capacity.slo[0]", "cannot judge a capacity step")]
    [InlineData("tags: { 9lives: x }", "tags.9lives", "'9lives' is not a valid name here: A tag name")]
    public void LoadText_SettingsRule_NamesTheField(string section, string path, string message)
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal + "\n" + section + "\n").Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, "compare: { repeat: 3, recycle: true }", "only a local target.process can be recycled between rounds: Yardstick cannot restart a target it did not start")]
    [InlineData(true, "compare: { recycle: true }", "compare.repeat is 1; give compare.repeat: 2 or more")]
    [InlineData(true, "compare: { repeat: 2, recycle: true }\nsweep: { parameter: \"appSetting:X\", values: [1, 2] }", "cannot be combined with a sweep")]
    [InlineData(true, "compare: { repeat: 2, recycle: true, against: { url: \"http://127.0.0.1:6000\" } }", "cannot be combined with compare.against")]
    public void LoadText_Recycle_WhereRoundsCannotBeRecycled_NamesCompareRecycle(bool process, string section, string message)
    {
        var text = process ? WithProcess(TestWorkloads.Minimal) : TestWorkloads.Minimal;

        var errors = TestWorkloads.Invalid(text + "\n" + section + "\n").Errors;

        Assert.Contains(errors, e => e.Path == "compare.recycle" && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_RecycleOnAnAzureTarget_NamesCompareRecycleAndTheArmRestart()
    {
        var text = TestWorkloads.Minimal.Replace("  url: http://127.0.0.1:5080/api/hello", "  url: http://127.0.0.1:5080/api/hello\n  azure: { resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/g/providers/Microsoft.Web/sites/a }", StringComparison.Ordinal);

        var errors = TestWorkloads.Invalid(text + "\ncompare: { repeat: 3, recycle: true }\n").Errors;

        Assert.Contains(errors, e => e.Path == "compare.recycle" && e.Message.Contains("an Azure app would need an ARM restart (and a cold start) per round", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_RecycleOnAProcessTarget_IsValid()
    {
        var workload = WorkloadLoader.LoadText(WithProcess(TestWorkloads.Minimal) + "\ncompare: { repeat: 3, recycle: true }\n", "t.yaml");

        Assert.True(workload.Compare.Recycle);
        Assert.False(WorkloadLoader.LoadText(WithProcess(TestWorkloads.Minimal) + "\ncompare: { repeat: 3 }\n", "t.yaml").Compare.Recycle);
    }

    private static string WithProcess(string text) =>
        text.Replace("  url: http://127.0.0.1:5080/api/hello", "  url: http://127.0.0.1:5080/api/hello\n  process: { command: sample-target }", StringComparison.Ordinal);

    [Fact]
    public void LoadText_CapacityStudy_IsValid_AndItsSizeCountsEverySweepVariant()
    {
        const string Study = """
            name: study
            target:
              url: http://127.0.0.1:5080/api/hello
              process: { command: sample-target, args: ["--urls", "http://127.0.0.1:5080"] }
            load: { rate: 10/s, duration: 5s }
            sweep: { parameter: "appSetting:YARDSTICK_MAX_CONCURRENCY", values: [1, 2, 4, 8] }

            """;

        var valid = WorkloadLoader.LoadText(Study + "capacity: { slo: [\"p(99) < 300ms\"], maxRate: 100/s }\n", "test.yaml", [], TestWorkloads.Environment);
        Assert.NotNull(valid.Capacity);
        Assert.Equal(4, valid.Sweep!.Dimensions[0].Values.Count);

        var errors = TestWorkloads.Invalid(Study + "capacity: { slo: [\"p(99) < 300ms\"], maxRate: 200000/s, maxSteps: 30 }\n").Errors;
        Assert.Contains(errors, e => e.Path == "capacity.maxRate"
            && e.Message.Contains("about 120,000,000 requests (30 steps × 200000/s × (0s warm-up + 5s) × 4 sweep variants), above the cap of 100,000,000", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_EvictionCurve_OnAPlainUrlTarget_IsValid()
    {
        // The idle strategy waits and probes; it changes nothing in Azure, so any allowed URL (or local process) will do.
        var workload = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncoldStart: { strategy: idle, idleTimes: [500ms, 3s], probes: 2 }\n", "t.yaml");

        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3)], workload.ColdStart.IdleTimes);
        Assert.Equal(workload.ColdStart.IdleTimes, workload.ColdStart.EffectiveIdleTimes);
    }

    [Fact]
    public void LoadText_OneIdleTime_IsTheEffectiveCurve()
    {
        var workload = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncoldStart: { strategy: idle, idleTime: 7m }\n", "t.yaml");

        Assert.Empty(workload.ColdStart.IdleTimes);
        Assert.Equal([TimeSpan.FromMinutes(7)], workload.ColdStart.EffectiveIdleTimes);
    }

    [Theory]
    [InlineData("target: { url: https://app.example.net/, insecureSkipTlsVerify: true }", "target.insecureSkipTlsVerify", "loopback")]
    [InlineData("target: { url: http://localhost:1/, insecureSkipTlsVerify: true }", "target.insecureSkipTlsVerify", "applies to https URLs only")]
    [InlineData("target: { url: http://127.0.0.1:1/, transport: lean, httpVersion: 2 }", "target.transport", "'lean' speaks HTTP/1.1 only")]
    [InlineData("target: { url: \"http://[fe80::1]:80/\" }", "target.url", "link-local")]
    [InlineData("target: { url: http://0.0.0.0:80/ }", "target.url", "link-local, cloud metadata or unspecified")]
    [InlineData("target: { url: http://168.63.129.16/ }", "target.url", "link-local")]
    [InlineData("target: { url: \"http://127.0.0.1:1/\", headers: { \"bad header\": x } }", "target.headers[\"bad header\"]", "'bad header' is not a valid name here: An HTTP header name")]
    [InlineData("target: { url: http://127.0.0.1:1/, method: FETCH }", "target.method", "'FETCH' is not one of: GET")]
    [InlineData("target: { url: http://127.0.0.1:1/, azure: { resourceId: /subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/accounts/a } }", "target.azure.resourceId", "ARM id of the Microsoft.Web/sites resource")]
    public void LoadText_TargetRule_NamesTheField(string target, string path, string message)
    {
        var error = SingleError($"name: t\n{target}\nload: {{ rate: 1/s, duration: 1s }}\n");

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_HttpVersionWrittenAsNumber_IsAccepted()
    {
        var w = WorkloadLoader.LoadText("name: t\ntarget: { url: http://127.0.0.1:1/, httpVersion: 2 }\nload: { rate: 1/s, duration: 1s }\n", "t.yaml");

        Assert.Equal("2", w.Target.HttpVersion);
    }

    [Fact]
    public void LoadText_NameLongerThan63_IsRefused()
    {
        var error = SingleError(TestWorkloads.Minimal.Replace("name: minimal", "name: " + new string('a', 64), StringComparison.Ordinal));

        Assert.Equal("name", error.Path);
        Assert.Contains("is too long: at most 63 characters", error.Message, StringComparison.Ordinal);
    }
}
