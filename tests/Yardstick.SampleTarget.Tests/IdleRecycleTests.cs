using System.Diagnostics;

namespace Yardstick.SampleTarget.Tests;

/// <summary>
/// <c>--idle-recycle-ms</c>: the sample target's stand-in for a platform that reclaims idle instances. Idle periods are
/// far above or far below the threshold, so the machine's speed cannot flip an outcome.
/// </summary>
public sealed class IdleRecycleTests
{
    [Fact]
    public async Task RequestAfterTheIdleTime_GetsANewInstanceAndPaysTheInitDelay_RequestsWithinItKeepTheInstance()
    {
        const int InitDelayMs = 300;
        await using var target = await RunningTarget.StartAsync(new SampleTargetOptions { IdleRecycleMs = 1_500, InitDelayMs = InitDelayMs });

        var first = await InstanceOfAsync(target);
        var second = await InstanceOfAsync(target);
        Assert.Equal(first.Instance, second.Instance);
        Assert.Equal(0, target.Host.App.Recycles);

        await Task.Delay(3_500);
        var cold = await InstanceOfAsync(target);
        var warm = await InstanceOfAsync(target);

        Assert.NotEqual(first.Instance, cold.Instance);
        Assert.Equal(cold.Instance, warm.Instance);
        Assert.Equal(cold.Instance, target.Host.InstanceId);
        Assert.Equal(1, target.Host.App.Recycles);
        Assert.True(cold.Ms >= InitDelayMs * 0.9, $"the first request after the idle time took {cold.Ms:0.0} ms, not the {InitDelayMs} ms cold init");
    }

    [Fact]
    public async Task WithoutTheOption_TheInstanceNeverChanges()
    {
        await using var target = await RunningTarget.StartAsync();

        var first = await InstanceOfAsync(target);
        await Task.Delay(300);

        Assert.Equal(first.Instance, (await InstanceOfAsync(target)).Instance);
        Assert.Equal(0, target.Host.App.Recycles);
    }

    [Fact]
    public void Parse_IdleRecycleMs_IsANonNegativeInteger()
    {
        Assert.Equal(60_000, SampleTargetOptions.Parse(["--idle-recycle-ms", "60000"]).IdleRecycleMs);
        Assert.Contains("--idle-recycle-ms", Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse(["--idle-recycle-ms", "-5"])).Message, StringComparison.Ordinal);
    }

    private static async Task<(string Instance, double Ms)> InstanceOfAsync(RunningTarget target)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (RunningTarget.InstanceId(response), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
