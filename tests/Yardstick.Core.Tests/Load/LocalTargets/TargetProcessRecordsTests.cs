using System.Diagnostics;
using Yardstick.Core.Load.LocalTargets;

namespace Yardstick.Core.Tests.Load.LocalTargets;

/// <summary>
/// PID files of local target processes, with real processes (<c>sleep</c>): the next host stops the target of a host
/// that is gone, and only when the pid still belongs to the recorded process.
/// </summary>
public sealed class TargetProcessRecordsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("yardstick-pids-").FullName;
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            LocalProcessTargets.Kill(process);
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ReapOrphans_OwnerGone_StopsTheRecordedTarget()
    {
        var target = Sleep("301");
        new TargetProcessRecords(_directory, GoneOwner()).Record(target, ["301"], "sleep");

        var stopped = new TargetProcessRecords(_directory).ReapOrphans();

        Assert.True(target.WaitForExit(Bound), "the orphaned target is still running");
        Assert.Single(stopped);
        Assert.Contains("'sleep'", stopped[0], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void ReapOrphans_OwnerStillRunning_LeavesTargetAndRecord()
    {
        var target = Sleep("302");
        new TargetProcessRecords(_directory).Record(target, ["302"], "sleep");

        var stopped = new TargetProcessRecords(_directory).ReapOrphans();

        Assert.Empty(stopped);
        Assert.False(target.HasExited);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void ReapOrphans_PidNowRunsAnotherCommandLine_IsNotKilled_RecordRemoved()
    {
        var target = Sleep("303");
        new TargetProcessRecords(_directory, GoneOwner()).Record(target, ["999"], "sleep");

        var stopped = new TargetProcessRecords(_directory).ReapOrphans();

        Assert.Empty(stopped);
        Assert.False(target.HasExited);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void ReapOrphans_PidReusedAfterTheRecordedStart_IsNotKilled()
    {
        var target = Sleep("304");
        var owner = GoneOwner();
        var identity = ProcessIdentity.Of(target.Id)!;
        // The same pid and command, but another start time: a later process that reuses the pid.
        var record = new TargetProcessRecord(owner, identity with { StartTicks = identity.StartTicks - TimeSpan.FromHours(1).Ticks }, ["304"], "sleep");
        File.WriteAllText(Path.Combine(_directory, "1-2.json"), System.Text.Json.JsonSerializer.Serialize(record, YardstickJson.Options));

        var stopped = new TargetProcessRecords(_directory).ReapOrphans();

        Assert.Empty(stopped);
        Assert.False(target.HasExited);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"owner\":null}")]
    [InlineData("{\"owner\":{\"pid\":1,\"startTicks\":0},\"target\":{\"pid\":-5,\"startTicks\":0},\"arguments\":[],\"command\":\"x\"}")]
    public void ReapOrphans_DamagedRecord_RemovedWithoutThrowing(string content)
    {
        File.WriteAllText(Path.Combine(_directory, "7-8.json"), content);

        var stopped = new TargetProcessRecords(_directory).ReapOrphans();

        Assert.Empty(stopped);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void ReapOrphans_NoFolder_NothingToDo() =>
        Assert.Empty(new TargetProcessRecords(Path.Combine(_directory, "missing")).ReapOrphans());

    /// <summary>The identity of a process that ran and is gone.</summary>
    private ProcessIdentity GoneOwner()
    {
        var owner = Sleep("300");
        var identity = ProcessIdentity.Of(owner.Id)!;
        owner.Kill();
        Assert.True(owner.WaitForExit(Bound));
        return identity;
    }

    private Process Sleep(string seconds)
    {
        var process = Process.Start(new ProcessStartInfo("sleep", [seconds]) { UseShellExecute = false })!;
        _started.Add(process);
        return process;
    }
}
