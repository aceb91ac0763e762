using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>The worker name stored in every shard result tells workers apart without naming the machine.</summary>
public sealed class WorkerNameTests
{
    [Fact]
    public void DefaultWorkerName_IsOneRandomTokenPerProcess_ThenThePid_NeverTheMachineName()
    {
        var first = new YardstickHostOptions().WorkerName;
        var second = new YardstickHostOptions().WorkerName;

        Assert.Equal(first, second);
        Assert.Matches(@"\Aw[0-9a-f]{8}/[0-9]+\z", first);
        Assert.EndsWith("/" + Environment.ProcessId, first, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.MachineName, first, StringComparison.OrdinalIgnoreCase);
    }
}
