using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadFingerprintTests
{
    private static string Hash(params string[] overrides) =>
        WorkloadFingerprint.SettingsHash(TestWorkloads.LoadExample("hello-local.yaml", overrides));

    [Fact]
    public void SettingsHash_Is16LowercaseHexAndStable()
    {
        var hash = Hash();

        Assert.Matches("^[0-9a-f]{16}$", hash);
        Assert.Equal(hash, Hash());
    }

    [Theory]
    [InlineData("tags.commit=abc123")]
    [InlineData("description=changed")]
    [InlineData("thresholds=[\"p(99) < 1s\"]")]
    [InlineData("compare.margin=10%")]
    [InlineData("compare.repeat=3")]
    [InlineData("name=renamed")]
    [InlineData("target.process.args[2]=--extra-latency-ms")]
    [InlineData("target.url=http://127.0.0.1:5099/api/hello")]
    [InlineData("target.headers.Accept=application/json")]
    [InlineData("load.seed=7")]
    [InlineData("load.timerSlack=0s")] // the default written out: fingerprints from before the field stay valid
    public void SettingsHash_ChangeThatKeepsRunsComparable_KeepsTheHash(string setting)
    {
        Assert.Equal(Hash(), Hash(setting));
    }

    [Theory]
    [InlineData("load.rate=300/s")]
    [InlineData("load.duration=20s")]
    [InlineData("load.shards=1")]
    [InlineData("load.timeout=1s")]
    [InlineData("target.method=POST")]
    [InlineData("target.url=http://127.0.0.1:5080/api/work")]
    [InlineData("target.url=http://localhost:5080/api/hello")]
    [InlineData("target.headers.x-extra=1")]
    [InlineData("target.body=hello")]
    [InlineData("target.transport=handler")]
    [InlineData("cost.plan=premium")]
    [InlineData("load.arrivals=poisson")]
    [InlineData("load.timerSlack=0.5ms")]
    public void SettingsHash_ChangeToWhatIsMeasured_ChangesTheHash(string setting)
    {
        Assert.NotEqual(Hash(), Hash(setting));
    }

    private static Workload Mix(params string[] overrides) => TestWorkloads.LoadExample("mix-local.yaml", overrides);

    [Theory]
    [InlineData("target.checks=[\"status in [200, 201]\"]")]
    [InlineData("requests[0].checks=[]")]
    [InlineData("requests[1].checks=[\"header content-type ~ json\"]")]
    public void SettingsHash_OtherResponseChecks_ChangeTheHash(string setting)
    {
        Assert.NotEqual(WorkloadFingerprint.SettingsHash(Mix()), WorkloadFingerprint.SettingsHash(Mix(setting)));
    }

    [Fact]
    public void SettingsHash_CheckNamesOnly_KeepTheHash_AndNoChecksWritesNoChecksField()
    {
        var named = Mix("target.checks=[{ name: ok, expect: \"status in [200]\" }]");

        Assert.Equal(WorkloadFingerprint.SettingsHash(Mix()), WorkloadFingerprint.SettingsHash(named));
        Assert.DoesNotContain("\"checks\"", WorkloadFingerprint.CanonicalJson(TestWorkloads.LoadExample("hello-local.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void ChecksText_NamesTheOwnerOfEveryCheck()
    {
        Assert.Equal("target: status in [200]; profile: body contains /users/", WorkloadFingerprint.ChecksText(Mix()));
        Assert.Equal("", WorkloadFingerprint.ChecksText(TestWorkloads.LoadExample("hello-local.yaml")));
    }

    [Fact]
    public void SettingsHash_SecretQueryValue_IsRedactedBeforeHashing()
    {
        var a = WorkloadLoader.LoadText(TestWorkloads.Minimal, "a.yaml", ["target.url=https://app.example.net/api/x?code=first-secret"]);
        var b = WorkloadLoader.LoadText(TestWorkloads.Minimal, "b.yaml", ["target.url=https://app.example.net/api/x?code=second-secret"]);

        Assert.Equal(WorkloadFingerprint.SettingsHash(a), WorkloadFingerprint.SettingsHash(b));
        Assert.DoesNotContain("first-secret", WorkloadFingerprint.CanonicalJson(a), StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsHash_RemotePort_Counts()
    {
        var a = WorkloadLoader.LoadText(TestWorkloads.Minimal, "a.yaml", ["target.url=https://app.example.net:8443/api"]);
        var b = WorkloadLoader.LoadText(TestWorkloads.Minimal, "b.yaml", ["target.url=https://app.example.net:9443/api"]);

        Assert.NotEqual(WorkloadFingerprint.SettingsHash(a), WorkloadFingerprint.SettingsHash(b));
    }

    [Fact]
    public void SettingsHash_SweepPoint_DiffersPerValue()
    {
        var w = TestWorkloads.LoadExample("azure-flex-example.yaml");

        var points = w.Sweep!.Values.Select(v => WorkloadFingerprint.SettingsHash(w, v)).ToList();

        Assert.Equal(3, points.Distinct().Count());
        Assert.DoesNotContain(WorkloadFingerprint.SettingsHash(w), points);
    }
}
