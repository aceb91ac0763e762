using Yardstick.Core.ServerMetrics;

namespace Yardstick.Core.Tests.ServerMetrics;

public sealed class ServerMetricSetsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    private static ProcessSample At(double seconds, double cpu = 50, long memory = 100 * 1024 * 1024, int pid = 7) =>
        new(T0.AddSeconds(seconds), pid, cpu, memory);

    [Fact]
    public void FromProcess_MissingSeconds_AreGaps_NeverFilled()
    {
        // Samples mid-second at 0, 1, 4 and 5 of a 6-second window: 2 and 3 are one gap.
        var log = new ProcessSampleLog { Samples = [At(0.5), At(1.5, cpu: 80), At(4.5), At(5.5, memory: 3 * 1024 * 1024 / 2)] };

        var set = ServerMetricSets.FromProcess(log, T0, T0.AddSeconds(6));

        Assert.Equal("process", set.Source);
        Assert.Equal(1, set.IntervalSeconds);
        Assert.Equal(4, set.Find(ServerMetricSeries.CpuPercent)!.Points.Count);
        Assert.Equal(new ServerMetricGap(T0.AddSeconds(2), T0.AddSeconds(4)), Assert.Single(set.Gaps));
        Assert.Equal(2, set.Gaps[0].Seconds);
        Assert.Equal(80, set.Find(ServerMetricSeries.CpuPercent)!.Peak);
        Assert.Equal(1.5, set.Find(ServerMetricSeries.ResidentMemoryMB)!.Points[^1].Value);
        Assert.Empty(set.Notes);
    }

    [Fact]
    public void FromProcess_SamplesOutsideTheWindow_AndSecondsTwice_KeepTheFirstInside()
    {
        var log = new ProcessSampleLog { Samples = [At(-0.5), At(0.2, cpu: 10), At(0.9, cpu: 99), At(1.5), At(2.5)] };

        var set = ServerMetricSets.FromProcess(log, T0, T0.AddSeconds(2));

        var cpu = set.Find(ServerMetricSeries.CpuPercent)!.Points;
        Assert.Equal([10, 50], cpu.Select(p => p.Value));
        Assert.Empty(set.Gaps);
        Assert.Equal(T0.AddSeconds(2), set.To);
    }

    [Fact]
    public void FromProcess_NoSamples_WholeWindowIsOneGap_WithAReason()
    {
        var set = ServerMetricSets.FromProcess(new ProcessSampleLog(), T0, T0.AddSeconds(3));

        Assert.Equal(new ServerMetricGap(T0, T0.AddSeconds(3)), Assert.Single(set.Gaps));
        Assert.Contains("no sample", Assert.Single(set.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void FromProcess_TwoProcesses_SaysTheTargetWasRestarted()
    {
        var log = new ProcessSampleLog { Samples = [At(0.5, pid: 7), At(1.5, pid: 9)] };

        var set = ServerMetricSets.FromProcess(log, T0, T0.AddSeconds(2));

        Assert.Contains("restarted", Assert.Single(set.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void FromProcess_WindowEndingBeforeItStarts_Throws()
    {
        Assert.Throws<ArgumentException>(() => ServerMetricSets.FromProcess(new ProcessSampleLog(), T0, T0.AddSeconds(-2)));
    }
}
