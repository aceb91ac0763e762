using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Yardstick.Testing.Browser;

/// <summary>One Chrome DevTools Protocol event.</summary>
public sealed record CdpEvent(string Method, JsonElement Params, string? SessionId);

/// <summary>
/// A minimal Chrome DevTools Protocol client over <see cref="ClientWebSocket"/>: commands with ids (flat sessions via
/// <c>sessionId</c>), every event kept in arrival order, and waiters for one event.
/// </summary>
public sealed class CdpSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(string Method, string? SessionId, TaskCompletionSource<CdpEvent> Done)> _waiters = [];
    private readonly ConcurrentQueue<CdpEvent> _events = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<CdpEvent> Events => [.. _events];

    public static async Task<CdpSession> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var session = new CdpSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(url, cancellationToken);
        session._receiving = Task.Run(session.ReceiveLoopAsync, CancellationToken.None);
        return session;
    }

    /// <summary>Sends a command and returns its <c>result</c>; a protocol error throws.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        using var registration = cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken));
        return await reply.Task;
    }

    /// <summary>Starts waiting for the next <paramref name="method"/> event (register before the command that causes it).</summary>
    public Task<CdpEvent> WaitForEventAsync(string method, string? sessionId, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<CdpEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((method, sessionId, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, string sessionId, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, sessionId, cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException("JavaScript threw: " + exception);
        }

        return result.GetProperty("result").GetProperty("value");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser may already be gone; the socket is aborted below.
        }

        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        using var message = new MemoryStream();
        Exception failure = new WebSocketException("The DevTools connection closed.");
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException)
        {
            failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(failure);
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        var sessionId = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (_pending.TryRemove(idElement.GetInt32(), out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException("DevTools error: " + error.GetRawText()));
                }
                else
                {
                    reply.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (!root.TryGetProperty("method", out var methodElement))
        {
            return;
        }

        var cdpEvent = new CdpEvent(methodElement.GetString() ?? "", root.TryGetProperty("params", out var p) ? p.Clone() : default, sessionId);
        _events.Enqueue(cdpEvent);
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (method, waitSession, done) = _waiters[i];
                if (method == cdpEvent.Method && (waitSession is null || waitSession == sessionId))
                {
                    done.TrySetResult(cdpEvent);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
