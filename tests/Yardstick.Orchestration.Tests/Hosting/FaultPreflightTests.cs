using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>Abuse cases at the front door (CLI and HTTP API alike): faults act only on targets the host may touch.</summary>
public sealed class FaultPreflightTests
{
    private const string ResourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app";

    [Theory]
    [InlineData("[{ at: 5s, kind: restart }]")]
    [InlineData("[{ at: 5s, kind: appSetting, name: FEATURE_X, value: off, for: 5s }]")]
    public void Check_ArmFaultOnAHostWithoutAzureAccess_IsRefusedNamingTheFault(string faults)
    {
        var workload = Load("https://app.example.net/api/hello", faults, $"\n  azure: {{ resourceId: {ResourceId} }}");

        var e = Assert.Throws<InputException>(() => RunPreflight.Check(workload, Deployed("app.example.net") with { AzureAccess = false }));

        Assert.Equal("faults[0].kind", e.Field);
        Assert.Contains("Azure access", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StallOnATargetNotAllowed_IsRefusedByTheTargetsOwnRule()
    {
        // The admin toggle lives on the target's origin: a host off the allow-list is refused before any fault is planned.
        var workload = Load("https://evil.example.org/api/hello", "[{ at: 5s, kind: stall, ms: 100, for: 2s }]");

        var e = Assert.Throws<InputException>(() => RunPreflight.Check(workload, Deployed("app.example.net")));

        Assert.Equal("target.url", e.Field);
    }

    [Fact]
    public void Check_StallOnAnAllowedTarget_AndRestartWithAzureAccess_Pass()
    {
        RunPreflight.Check(Load("https://app.example.net/api/hello", "[{ at: 5s, kind: stall, ms: 100, for: 2s }]"), Deployed("app.example.net"));
        RunPreflight.Check(
            Load("https://app.example.net/api/hello", "[{ at: 5s, kind: restart }]", $"\n  azure: {{ resourceId: {ResourceId} }}"),
            Deployed("app.example.net") with { AzureAccess = true });
    }

    [Fact]
    public void Check_RestartOfALocalProcess_OnAHostThatCannotStartProcesses_IsRefused()
    {
        var workload = Load("http://127.0.0.1:5087/api/hello", "[{ at: 5s, kind: restart }]", "\n  process: { command: sample-target, args: [\"--admin\"] }");

        var e = Assert.Throws<InputException>(() => RunPreflight.Check(workload, new YardstickHostOptions { AllowLocalProcesses = false }));

        Assert.Equal("target.process", e.Field);
    }

    [Fact]
    public void FaultAdminUrl_IsOnTheTargetsOrigin_WhateverThePath()
    {
        var stall = new FaultSpec { Kind = FaultKind.Stall, At = TimeSpan.FromSeconds(5), Ms = 300, For = TimeSpan.FromSeconds(4) };
        var fail = new FaultSpec { Kind = FaultKind.Fail, At = TimeSpan.FromSeconds(5), Rate = 0.25, For = TimeSpan.FromMilliseconds(1500) };

        Assert.Equal("http://127.0.0.1:5087/admin/stall?ms=300&for=4000ms", Core.Faults.FaultAdmin.Url("http://127.0.0.1:5087/api/hello?x=1", stall));
        Assert.Equal("https://app.example.net/admin/fail?rate=0.25&for=1500ms", Core.Faults.FaultAdmin.Url("https://app.example.net/deep/path", fail));
    }

    private static Workload Load(string url, string faults, string target = "") => WorkloadLoader.LoadText($$"""
        name: faulty
        target:
          url: {{url}}{{target}}
        load: { rate: 10/s, duration: 30s }
        faults: {{faults}}
        """, "test.yaml", [], _ => null);

    private static YardstickHostOptions Deployed(string allowedHost) => new()
    {
        Environment = _ => null,
        TargetPolicy = new TargetPolicy([allowedHost], allowPrivateNetworks: false),
        AllowLocalProcesses = false,
    };
}
