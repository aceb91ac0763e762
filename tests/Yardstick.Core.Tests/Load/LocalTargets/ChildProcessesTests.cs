using System.Diagnostics;
using Yardstick.Core.Load.LocalTargets;

namespace Yardstick.Core.Tests.Load.LocalTargets;

/// <summary>
/// How local target processes are started. That they die with a SIGKILLed host is proven end to end with the real CLI
/// (Yardstick.Cli.Tests LocalTargetLifetimeTests); these pin the parts that could break it quietly.
/// </summary>
public sealed class ChildProcessesTests
{
    [Fact]
    public void DieWithParent_OnLinuxWithSetpriv_IsOn()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/setpriv"))
        {
            return;
        }

        Assert.True(ChildProcesses.DieWithParent);
    }

    /// <summary>
    /// PR_SET_PDEATHSIG is documented to fire when the parent <em>thread</em> exits: a target started from a short-lived
    /// thread (an activity's thread-pool thread retires when idle) must outlive that thread. Measured here: a Python
    /// child of an exited thread gets the signal, a .NET-started one did not even without the dedicated starter
    /// thread — so this guards the behaviour rather than that thread, which stays as the documented-safe way.
    /// </summary>
    [Fact]
    public void Start_FromAThreadThatThenExits_ChildKeepsRunning()
    {
        Process? child = null;
        var thread = new Thread(() => child = ChildProcesses.Start(new ProcessStartInfo("sleep", ["305"]) { UseShellExecute = false }));
        thread.Start();
        thread.Join();
        try
        {
            // The signal, were it due, is sent as the thread exits; waiting a second makes a late delivery visible.
            Assert.False(child!.WaitForExit(TimeSpan.FromSeconds(1)), $"the child exited with {(child.HasExited ? child.ExitCode : 0)} when the thread that started it ended");
            // The wrapper execs the command in the same process: the pid runs sleep itself.
            var commandLine = ProcessIdentity.CommandLine(child.Id)!;
            Assert.EndsWith("sleep", commandLine[0], StringComparison.Ordinal);
            Assert.Equal("305", commandLine[^1]);
        }
        finally
        {
            LocalProcessTargets.Kill(child!);
        }
    }

    [Fact]
    public void Start_UnknownCommand_FailsLikeProcessStart()
    {
        var error = Assert.Throws<System.ComponentModel.Win32Exception>(() =>
            ChildProcesses.Start(new ProcessStartInfo("yardstick-no-such-command") { UseShellExecute = false }));

        Assert.Contains("yardstick-no-such-command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FindsCommandsOnPath_AndNothingForUnknownOrEmpty()
    {
        Assert.Equal("/bin/sh", ChildProcesses.Resolve("/bin/sh"));
        Assert.NotNull(ChildProcesses.Resolve("sleep"));
        Assert.Null(ChildProcesses.Resolve("yardstick-no-such-command"));
        Assert.Null(ChildProcesses.Resolve(""));
        Assert.Null(ChildProcesses.Resolve("/no/such/file"));
    }
}
