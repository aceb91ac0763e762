using System.Diagnostics;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Testing;
using static Yardstick.Core.Tests.Load.Transports.Lean.SampleTargetFixture;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>The lean transport against scripted servers: reconnects, stale connections, broken and hostile responses.</summary>
public sealed class LeanHttpTransportRawServerTests
{
    private const string OkKeepAlive = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Fact]
    public async Task ExchangeAsync_ConnectionClose_ReconnectsForEveryExchange()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            c.Close();
        });
        await using var transport = Transport(server.Url("/close"));

        var results = await ExchangesAsync(transport, 3);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.NotEqual(0, r.ConnectedTimestamp));
        Assert.Equal(3, server.Accepted);
    }

    [Fact]
    public async Task ExchangeAsync_Request_ExactBytesOnTheWire()
    {
        var requests = new List<string>();
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                lock (requests)
                {
                    requests.Add(request);
                }

                await c.WriteAsync(OkKeepAlive);
            }
        });
        var template = new RequestTemplate
        {
            Method = "PUT",
            Url = server.Url("/api/items/7?x=1&y=%20"),
            Headers = [new HeaderValue("Content-Type", "application/json"), new HeaderValue("x-test", " padded ")],
            Body = "{\"n\":\"é\"}",
        };
        await using var transport = new Core.Load.Transports.Lean.LeanHttpTransport(template, new TransportOptions());

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        var expected = $"PUT /api/items/7?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nContent-Type: application/json\r\n" +
            "x-test: padded\r\nContent-Length: 10\r\n\r\n{\"n\":\"\u00c3\u00a9\"}";
        Assert.Equal([expected, expected], requests);
        Assert.All(results, r => Assert.Equal(10, r.BytesSent));
    }

    [Fact]
    public async Task ExchangeAsync_Garbage_ProtocolErrorThenReconnect()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("garbage\r\n\r\n");
            await c.ReadRequestAsync();
        });
        await using var transport = Transport(server.Url());

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(ExchangeOutcome.ProtocolError, r.Outcome));
        Assert.Equal("invalid status line 'garbage': expected 'HTTP/1.x NNN reason'", results[0].Error);
        Assert.NotEqual(0, results[1].ConnectedTimestamp);
        Assert.Equal(2, server.Accepted);
    }

    [Theory]
    [InlineData("GET", ExchangeOutcome.Response)]
    [InlineData("POST", ExchangeOutcome.IoError)]
    public async Task ExchangeAsync_KeepAliveConnectionClosedWhileIdle_IdempotentRetriedOnce(string method, ExchangeOutcome expected)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteAsync(OkKeepAlive);
                if (c.Index == 0)
                {
                    // Like an idle timeout: the server closes a connection the client believes is reusable.
                    c.Close();
                    closed.SetResult();
                    return;
                }
            }
        });
        await using var transport = Transport(server.Url(), method: method);
        await using var connection = transport.CreateConnection();

        var first = await connection.ExchangeAsync(CancellationToken.None);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        var second = await connection.ExchangeAsync(CancellationToken.None);
        var third = await connection.ExchangeAsync(CancellationToken.None);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(expected, second.Outcome);
        if (expected == ExchangeOutcome.Response)
        {
            Assert.NotEqual(0, second.ConnectedTimestamp);
            Assert.Equal(0, third.ConnectedTimestamp);
        }
        else
        {
            Assert.NotNull(second.Error);
            Assert.NotEqual(0, third.ConnectedTimestamp);
        }

        Assert.Equal(200, third.StatusCode);
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task ExchangeAsync_BodyCutShortByClose_ProtocolError()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            c.Close();
        });
        await using var transport = Transport(server.Url());

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.ProtocolError, result.Outcome);
        Assert.Equal("truncated body: connection closed after 3 of 10 bytes", result.Error);
        Assert.NotEqual(0, result.FirstByteTimestamp);
    }

    [Fact]
    public async Task ExchangeAsync_CloseDelimitedBody_ResponseThenReconnect()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n");
            await c.WriteAsync("until the end");
            c.Close();
        });
        await using var transport = Transport(server.Url());

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.Equal(13, r.BytesReceived));
        Assert.All(results, r => Assert.NotEqual(0, r.ConnectedTimestamp));
    }

    [Fact]
    public async Task ExchangeAsync_InterimThenFinal_FinalResponse()
    {
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n");
                await c.WriteAsync("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nx-instance-id: raw-1\r\n\r\n4\r\nmade\r\n0\r\n\r\n");
            }
        });
        await using var transport = Transport(server.Url());

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(201, r.StatusCode));
        Assert.All(results, r => Assert.Equal("raw-1", r.InstanceId));
        Assert.All(results, r => Assert.Equal(4, r.BytesReceived));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ExchangeAsync_UnsolicitedBytesAfterResponse_ConnectionNotReused()
    {
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteAsync(OkKeepAlive + OkKeepAlive);
            }
        });
        await using var transport = Transport(server.Url());

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.NotEqual(0, results[1].ConnectedTimestamp);
    }

    [Fact]
    public async Task ExchangeAsync_EndlessHeaders_ProtocolErrorNotHang()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\n");
            var line = "X-Pad: " + new string('p', 500) + "\r\n";
            for (var i = 0; i < 10_000; i++)
            {
                await c.WriteAsync(line);
            }
        });
        await using var transport = Transport(server.Url());

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.ProtocolError, result.Outcome);
        Assert.Equal("response header section is larger than 65536 bytes", result.Error);
    }

    [Fact]
    public async Task ExchangeAsync_ServerSilent_TimeoutThenNewConnection()
    {
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.ReadRequestAsync();
        });
        await using var transport = Transport(server.Url(), new TransportOptions { RequestTimeout = TimeSpan.FromMilliseconds(100) });

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(ExchangeOutcome.Timeout, r.Outcome));
        Assert.All(results, r => Assert.Equal(0, r.FirstByteTimestamp));

        // The timed-out connection is dropped: the second exchange dialled again (the server saw two connections).
        for (var wait = Stopwatch.StartNew(); server.Accepted < 2 && wait.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task ExchangeAsync_ServerSilent_TimesOutAfterAnotherTransportWasDisposed()
    {
        // Deadlines of every transport are checked by one thread per process: disposing one transport (here one with
        // a longer check period) must leave the others' checks running, each at its own period.
        await using var server = new RawHttpServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.ReadRequestAsync();
        });
        var other = Transport(server.Url(), new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        await using var transport = Transport(server.Url(), new TransportOptions { RequestTimeout = TimeSpan.FromMilliseconds(100) });
        await using (other.CreateConnection())
        {
        }

        await using var connection = transport.CreateConnection();
        await other.DisposeAsync();

        // Bounded, so a check that stopped fails the test instead of hanging it.
        var result = await connection.ExchangeAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExchangeOutcome.Timeout, result.Outcome);
        Assert.Equal("no response within 100 ms", result.Error);
    }

    [Theory]
    [InlineData(1_000, 30_000, ExchangeOutcome.Timeout, "no response within 1000 ms")]
    [InlineData(30_000, 1_000, ExchangeOutcome.TlsFailed, "TLS handshake with 127.0.0.1:{0} timed out after 1000 ms")]
    public async Task ExchangeAsync_TlsPeerNeverAnswersHandshake_TimeoutOrTlsFailed(int requestMs, int connectMs, ExchangeOutcome expected, string error)
    {
        // A plain TCP server on an https URL: the ClientHello never gets an answer.
        await using var server = new RawHttpServer(async c => await c.ReadRequestAsync());
        var options = new TransportOptions { RequestTimeout = TimeSpan.FromMilliseconds(requestMs), ConnectTimeout = TimeSpan.FromMilliseconds(connectMs) };
        await using var transport = Transport($"https://127.0.0.1:{server.Port}/", options, insecure: true);

        // Judge the second exchange with timeouts of a second: in a cold process on a loaded machine the first
        // connect (socket engine start, JIT) can take longer than that by itself.
        var result = (await ExchangesAsync(transport, 2))[1];

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, error, server.Port), result.Error);
        Assert.NotEqual(0, result.ConnectedTimestamp);
        Assert.Equal(0, result.TlsTimestamp);
    }
}
