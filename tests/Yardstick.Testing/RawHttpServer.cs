using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Yardstick.Testing;

/// <summary>
/// A TCP listener on 127.0.0.1 that answers with whatever bytes a test scripts, to reproduce what real servers
/// rarely do on demand: closing, garbage, truncation, endless headers.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawConnection, Task> _handler;
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public RawHttpServer(Func<RawConnection, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// A server that answers every request <c>200 ok</c> after <paramref name="delay"/>, one at a time per connection;
    /// <paramref name="received"/>, when given, gets each request's Stopwatch timestamp as soon as its head is read.
    /// </summary>
    public static RawHttpServer AnsweringAfter(TimeSpan delay, System.Collections.Concurrent.ConcurrentQueue<long>? received = null) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            received?.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
            await Task.Delay(delay);
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
    });

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(string path = "/") => $"http://127.0.0.1:{Port}{path}";

    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _acceptLoop;
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped.
                return;
            }

            var connection = new RawConnection(socket, Interlocked.Increment(ref _accepted) - 1);
            lock (_connections)
            {
                _connections.Add(RunAsync(connection));
            }
        }
    }

    private async Task RunAsync(RawConnection connection)
    {
        using (connection)
        {
            try
            {
                await _handler(connection);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                // The client went away: the usual end of a scripted connection.
            }
        }
    }
}

/// <summary>One accepted connection of <see cref="RawHttpServer"/>.</summary>
public sealed class RawConnection(Socket socket, int index) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;

    /// <summary>0 for the first connection the server accepted, 1 for the next, …</summary>
    public int Index { get; } = index;

    /// <summary>Reads one request head (and its Content-Length body); null when the client closed.</summary>
    public async Task<string?> ReadRequestAsync()
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString(_buffer, 0, _buffered);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = 0;
                foreach (var line in text[..end].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                var total = end + 4 + length;
                if (_buffered >= total)
                {
                    Buffer.BlockCopy(_buffer, total, _buffer, 0, _buffered - total);
                    _buffered -= total;
                    return text[..total];
                }
            }

            var read = await socket.ReceiveAsync(_buffer.AsMemory(_buffered), SocketFlags.None);
            if (read == 0)
            {
                return null;
            }

            _buffered += read;
        }
    }

    public async Task WriteAsync(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>The connection as a stream (for a TLS server: wrap it in an <see cref="System.Net.Security.SslStream"/>).</summary>
    public NetworkStream OpenStream() => new(socket, ownsSocket: false);

    /// <summary>Closes gracefully (FIN), as a server closing an idle keep-alive connection does.</summary>
    public void Close()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }

        socket.Close();
    }

    public void Dispose() => socket.Dispose();
}
