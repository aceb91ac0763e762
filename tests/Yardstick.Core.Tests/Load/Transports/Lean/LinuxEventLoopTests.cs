using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>The epoll set under the paced open-model loop: its timer, its wake-up, its quiet sleep, its kernel-stamped reads and its errno mapping.</summary>
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
    [InlineData(false)]
    [InlineData(true)]
    public void SleepQuiet_ASocketBecomingReadableDoesNotEndIt_ThePollAfterReportsIt(bool timerfdOnly)
    {
        using var loop = LinuxEventLoop.TryCreate(timerfdOnly);
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        var (client, server) = ConnectedPair();
        using (client)
        using (server)
        {
            var fd = (int)client.SafeHandle.DangerousGetHandle();
            loop.Add(fd, 7, LinuxEventLoop.EpollIn);
            server.Send("ready"u8);

            // Readable all along: a sleep that sockets could end would return at once, thousands of times in 100 ms.
            var due = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
            var sleeps = 0;
            while (Stopwatch.GetTimestamp() < due)
            {
                loop.SleepQuiet(due);
                sleeps++;
            }

            Assert.True(sleeps <= 3, $"{sleeps} sleeps: the readable socket ended them");

            // What the socket reported meanwhile (and the timer, on the timerfd) comes with the next poll.
            var count = loop.Poll();
            var ids = Enumerable.Range(0, count).Select(loop.EventId).ToList();
            Assert.Contains(7UL, ids);
            Assert.All(ids, id => Assert.True(id is 7 or LinuxEventLoop.TimerId, $"unexpected event {id}"));
        }
    }

    [Fact]
    public void TryTake_HandsOutEachReportedEventOnce_AndARemovedSocketsEventIsDropped()
    {
        using var loop = LinuxEventLoop.TryCreate();
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        var pairs = Enumerable.Range(0, 3).Select(_ => ConnectedPair()).ToList();
        try
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                loop.Add((int)pairs[i].Client.SafeHandle.DangerousGetHandle(), (ulong)i, LinuxEventLoop.EpollIn);
                pairs[i].Server.Send("ready"u8);
            }

            // All three readable: one wait reports them, each is handed out once, in the order reported.
            Assert.Equal(3, loop.Wait(Stopwatch.GetTimestamp() + Stopwatch.Frequency));
            Assert.Equal(3, loop.SocketEvents);
            Assert.True(loop.TryTake(out var first, out var flags));
            Assert.Equal(LinuxEventLoop.EpollIn, flags & LinuxEventLoop.EpollIn);
            Assert.Equal(2, loop.Unserved);

            // One of the two left is removed before it is taken (its id may get a new socket): never handed out.
            var left = new[] { 0UL, 1UL, 2UL }.Where(id => id != first).ToList();
            loop.Remove((int)pairs[(int)left[0]].Client.SafeHandle.DangerousGetHandle(), left[0]);
            Assert.True(loop.TryTake(out var second, out _));
            Assert.Equal(left[1], second);
            Assert.False(loop.TryTake(out _, out _));
            Assert.Equal(0, loop.Unserved);

            // Still readable (level-triggered): the next poll reports the two still watched, the removed one no more.
            Assert.Equal(2, loop.Poll());
            var again = new List<ulong>();
            while (loop.TryTake(out var id, out _))
            {
                again.Add(id);
            }

            Assert.Equal(new[] { first, second }.Order(), again.Order());
            Assert.Equal(5, loop.SocketEvents);
        }
        finally
        {
            foreach (var (client, server) in pairs)
            {
                client.Dispose();
                server.Dispose();
            }
        }
    }

    [Fact]
    public void SleepQuiet_WokenFromAnotherThread_EndsAndThePollReportsTheWakeUp()
    {
        using var loop = LinuxEventLoop.TryCreate();
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        var woken = new Thread(() =>
        {
            Thread.Sleep(50);
            loop.Wake();
        });
        woken.Start();

        // 30 s away: only the wake-up ends these sleeps early (each is at most 1 s).
        var due = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        var count = 0;
        for (var slice = 0; slice < 60 && count == 0; slice++)
        {
            loop.SleepQuiet(due);
            count = loop.Poll();
        }

        woken.Join();
        Assert.Equal(1, count);
        Assert.Equal(LinuxEventLoop.WakeId, loop.EventId(0));
        Assert.True(Stopwatch.GetTimestamp() < due, "the wake-up did not end the sleep");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReceiveStamped_ReadLate_AnswersTheKernelReceiveTimeOnlyOnAStampedSocket(bool stamped)
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        var (client, server) = ConnectedPair();
        using (client)
        using (server)
        {
            var fd = (int)client.SafeHandle.DangerousGetHandle();
            if (stamped)
            {
                Assert.True(LinuxEventLoop.StampReceives(fd));
                WaitUntilReceiveStampsAreOn();
            }

            // On loopback the bytes are in the client's receive queue when Send returns; they are read 60 ms later.
            var beforeSend = Stopwatch.GetTimestamp();
            Assert.Equal(3, server.Send("abc"u8));
            var afterSend = Stopwatch.GetTimestamp();
            Thread.Sleep(60);
            var beforeRead = Stopwatch.GetTimestamp();

            var buffer = new byte[16];
            var read = LinuxEventLoop.ReceiveStamped(fd, buffer, out var received);

            Assert.Equal(3, read);
            Assert.Equal("abc"u8.ToArray(), buffer[..3]);
            if (stamped)
            {
                // The kernel's time, within a clock reading (1 ms) of the send, however late the read.
                var millisecond = Stopwatch.Frequency / 1000;
                Assert.InRange(received, beforeSend - millisecond, afterSend + millisecond);
                Assert.True(beforeRead - received >= 50 * millisecond, $"stamped {(beforeRead - received) * 1000.0 / Stopwatch.Frequency:0.0} ms before the read");
            }
            else
            {
                Assert.True(received >= beforeRead, "an unstamped read answers its own time");
            }

            // Nothing left: EAGAIN, as Receive says it.
            Assert.Equal(-LinuxEventLoop.Eagain, LinuxEventLoop.ReceiveStamped(fd, buffer, out _));
        }
    }

    /// <summary>A connected TCP pair on loopback: a non-blocking client and the server side it reached.</summary>
    /// <summary>
    /// The kernel switches receive stamps on for everyone a moment after the first socket asks (from a work queue): until
    /// then bytes come back unstamped, with their read time. Waits (5 s at most) until a probe byte on a pair of its own
    /// comes back stamped; the caller holds a socket that asked for stamps, so they stay on.
    /// </summary>
    internal static void WaitUntilReceiveStampsAreOn()
    {
        var (client, server) = ConnectedPair();
        using (client)
        using (server)
        {
            var fd = (int)client.SafeHandle.DangerousGetHandle();
            Assert.True(LinuxEventLoop.StampReceives(fd));
            var buffer = new byte[16];
            var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
            while (true)
            {
                Assert.Equal(1, server.Send("p"u8));
                Thread.Sleep(5);
                var beforeRead = Stopwatch.GetTimestamp();
                Assert.Equal(1, LinuxEventLoop.ReceiveStamped(fd, buffer, out var received));
                if (beforeRead - received >= 4 * Stopwatch.Frequency / 1000)
                {
                    return;
                }

                Assert.True(Stopwatch.GetTimestamp() < deadline, "receive stamps never came on");
            }
        }
    }

    private static (Socket Client, Socket Server) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        client.Blocking = false;
        return (client, listener.Accept());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Connect_ToAListener_ConnectsTheSocketToThatPort(string literal)
    {
        var address = IPAddress.Parse(literal);
        if (!LinuxEventLoop.IsSupported || (address.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6))
        {
            return;
        }

        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        var fd = (int)socket.SafeHandle.DangerousGetHandle();

        var started = LinuxEventLoop.Connect(fd, address, port);

        Assert.True(started is 0 or -LinuxEventLoop.Einprogress, $"connect returned {started}");
        Assert.True(listener.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead), "nothing connected to the listener");
        using var accepted = listener.Accept();
        Assert.True(socket.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectWrite));
        Assert.Equal(0, LinuxEventLoop.PendingError(fd));

        // The family, address and port were laid out right: what this descriptor sends reaches the accepted socket.
        Assert.Equal(3, LinuxEventLoop.Send(fd, "abc"u8));
        var received = new byte[8];
        accepted.ReceiveTimeout = 10_000;
        Assert.Equal(3, accepted.Receive(received));
        Assert.Equal("abc"u8.ToArray(), received[..3]);
    }

    [Fact]
    public void Connect_ToAClosedPort_EndsRefusedWithoutAnException()
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        // A port that was just free: bound and closed again, so nothing listens there.
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        var fd = (int)socket.SafeHandle.DangerousGetHandle();

        var started = LinuxEventLoop.Connect(fd, IPAddress.Loopback, port);

        var error = started == -LinuxEventLoop.Einprogress && socket.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectWrite)
            ? LinuxEventLoop.PendingError(fd)
            : -started;
        Assert.Equal(SocketError.ConnectionRefused, LinuxEventLoop.ToSocketError(error));
    }

    [Theory]
    [InlineData(104, SocketError.ConnectionReset)]
    [InlineData(111, SocketError.ConnectionRefused)]
    [InlineData(32, SocketError.Shutdown)]
    [InlineData(110, SocketError.TimedOut)]
    [InlineData(115, SocketError.InProgress)]
    [InlineData(24, SocketError.TooManyOpenSockets)]
    [InlineData(9999, SocketError.SocketError)]
    public void ToSocketError_NamesErrnoAsDotNetDoes(int errno, SocketError expected) =>
        Assert.Equal(expected, LinuxEventLoop.ToSocketError(errno));
}
