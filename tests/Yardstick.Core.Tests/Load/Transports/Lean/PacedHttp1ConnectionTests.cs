using System.Diagnostics;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>
/// One connection of the epoll loops, driven by hand: where a response's end is taken when the loop reads it late
/// (as it does after a quiet sleep), against a real loopback server.
/// </summary>
public sealed class PacedHttp1ConnectionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResponseReadLate_EndsAtTheKernelReceiveTime_OnlyWhenStamped(bool stamped)
    {
        using var loop = LinuxEventLoop.TryCreate();
        if (loop is null)
        {
            Assert.False(LinuxEventLoop.IsSupported);
            return;
        }

        // The server holds its answer until the test lets it go, so the loop cannot read it before the test wants.
        var requestIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawHttpServer(async c =>
        {
            if (await c.ReadRequestAsync() is null)
            {
                return;
            }

            requestIn.TrySetResult();
            await answer.Task;
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            answered.TrySetResult();
            await c.ReadRequestAsync();
        });
        await using var transport = new LeanHttpTransport(new RequestTemplate { Method = "GET", Url = server.Url("/late") }, new TransportOptions());
        var owner = new Owner();
        var connection = new PacedHttp1Connection(transport, loop, 0, owner, stampReceives: stamped);
        if (stamped)
        {
            // As the open model's loop does: stamps kept on, and on before the first response.
            loop.KeepReceiveStampsOn();
            LinuxEventLoopTests.WaitUntilReceiveStampsAreOn();
        }

        // Connect and send: the loop is driven until the server has the request.
        var start = Stopwatch.GetTimestamp();
        connection.Start(ExchangeRequest.First, start);
        var deadline = start + (10 * Stopwatch.Frequency);
        while (!requestIn.Task.IsCompleted && Stopwatch.GetTimestamp() < deadline)
        {
            loop.Wait(Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100));
            Serve(loop, connection);
        }

        Assert.True(requestIn.Task.IsCompleted, "the request never reached the server");
        answer.SetResult();
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var written = Stopwatch.GetTimestamp();

        // Read 60 ms after the answer arrived.
        Thread.Sleep(60);
        var beforeRead = Stopwatch.GetTimestamp();
        loop.Poll();
        Serve(loop, connection);

        var result = Assert.Single(owner.Results);
        Assert.Equal(ExchangeOutcome.Response, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.StartTimestamp <= result.FirstByteTimestamp && result.FirstByteTimestamp <= result.EndTimestamp, "timestamps out of order");
        if (stamped)
        {
            // When the kernel received it: before the server's write returned (within a clock reading), not at the read.
            Assert.True(result.EndTimestamp <= written + (Stopwatch.Frequency / 1000), "ended after the server's write returned");
            Assert.True(beforeRead - result.EndTimestamp >= Stopwatch.Frequency / 20, "the end moved with the late read");
        }
        else
        {
            Assert.True(result.EndTimestamp >= beforeRead, "an unstamped response ends at its read");
        }

        connection.Close();
    }

    /// <summary>Serves the connection's events from the last wait, taken as the shard's loop takes them.</summary>
    private static void Serve(LinuxEventLoop loop, PacedHttp1Connection connection)
    {
        while (loop.TryTake(out var id, out var flags))
        {
            if (id == connection.Id)
            {
                connection.OnEvent(flags);
            }
        }
    }

    private sealed class Owner : IPacedExchangeOwner
    {
        public List<ExchangeResult> Results { get; } = [];

        public void Completed(PacedHttp1Connection connection, in ExchangeResult result) => Results.Add(result);

        public void Opened(PacedHttp1Connection connection)
        {
        }
    }
}
