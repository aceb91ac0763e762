using System.Diagnostics;
using System.Net.Sockets;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>The epoll set under the paced open-model loop: its timer, its wake-up and its errno mapping.</summary>
public sealed class LinuxEventLoopTests
{
    [Fact]
    public void TryCreate_OnlyWhereSupported()
    {
        using var loop = LinuxEventLoop.TryCreate();

        Assert.Equal(LinuxEventLoop.IsSupported, loop is not null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wait_WokenFromAnotherThread_ReportsTheWakeUpBeforeItsDeadline(bool timerfdOnly)
    {
        using var loop = LinuxEventLoop.TryCreate(timerfdOnly);
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        Assert.Equal(!timerfdOnly, loop.UsesPwait2);
        var woken = new Thread(() =>
        {
            Thread.Sleep(50);
            loop.Wake();
        });
        woken.Start();

        // A deadline 30 s away: only the wake-up can end this wait with an event (a 1 s slice would return none).
        var count = 0;
        for (var slice = 0; slice < 60 && count == 0; slice++)
        {
            count = loop.Wait(Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency));
        }

        woken.Join();
        Assert.Equal(1, count);
        Assert.Equal(LinuxEventLoop.WakeId, loop.EventId(0));
    }

    [Fact]
    public void Wait_TimerfdOnly_EndsWithTheTimerAtTheDeadline()
    {
        using var loop = LinuxEventLoop.TryCreate(timerfdOnly: true);
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        var due = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 20);
        var count = 0;
        for (var turn = 0; turn < 1000 && count == 0; turn++)
        {
            count = loop.Wait(due);
        }

        Assert.Equal(1, count);
        Assert.Equal(LinuxEventLoop.TimerId, loop.EventId(0));
    }

    [Theory]
    [InlineData(104, SocketError.ConnectionReset)]
    [InlineData(111, SocketError.ConnectionRefused)]
    [InlineData(32, SocketError.Shutdown)]
    [InlineData(110, SocketError.TimedOut)]
    [InlineData(9999, SocketError.SocketError)]
    public void ToSocketError_NamesErrnoAsDotNetDoes(int errno, SocketError expected) =>
        Assert.Equal(expected, LinuxEventLoop.ToSocketError(errno));
}
