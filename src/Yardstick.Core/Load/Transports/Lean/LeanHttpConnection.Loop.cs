using System.Threading.Tasks.Sources;
using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// The hand-off between callers of <see cref="ExchangeAsync(ExchangeRequest, CancellationToken)"/> and the connection's exchange loop: a doorbell the
/// caller rings and a result slot the loop completes, both reusable, so an exchange allocates nothing however many
/// are in flight on other connections.
/// </summary>
/// <remarks>
/// Continuations run synchronously, as they did when the exchange was an async method: ringing resumes the loop on the
/// caller's thread (up to its first pending I/O), and completing the slot resumes the caller on the thread that
/// finished the I/O. A caller that resumes inline and asks for the next exchange at once finds the doorbell already
/// reset (the loop resets it before completing the slot), so nothing is lost and the stack never grows.
/// </remarks>
internal sealed partial class LeanHttpConnection : IValueTaskSource<ExchangeResult>
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Closed = 2;

    private readonly Doorbell _doorbell = new();
    private ManualResetValueTaskSourceCore<ExchangeResult> _result;
    private Task? _loop;
    private int _phase;
    private long _start;
    private CancellationToken _cancellation;

    /// <summary>
    /// Hands the exchange that began at <paramref name="start"/> to the loop (starting it on first use). The caller has
    /// moved <see cref="_phase"/> from <see cref="Idle"/> to <see cref="Busy"/>.
    /// </summary>
    private ValueTask<ExchangeResult> Dispatch(long start, CancellationToken cancellationToken)
    {
        _start = start;
        _cancellation = cancellationToken;
        _result.Reset();
        var pending = new ValueTask<ExchangeResult>(this, _result.Version);

        // Started here rather than in the constructor: a connection that never exchanges costs no loop.
        _loop ??= RunAsync();
        _doorbell.Ring(true);
        return pending;
    }

    /// <summary>The loop's wait for the next exchange: true to run it, false when the connection is disposed.</summary>
    private ValueTask<bool> NextRequestAsync() => _doorbell.WaitAsync();

    /// <summary>Completes the caller's result slot; false when the connection was disposed meanwhile (the loop ends).</summary>
    private bool Complete(in ExchangeResult result, Exception? error)
    {
        // Reset before the caller can see the result: it may ring for the next exchange from inside SetResult.
        _doorbell.Reset();
        var open = Interlocked.CompareExchange(ref _phase, Idle, Busy) == Busy;
        if (error is null)
        {
            _result.SetResult(result);
        }
        else
        {
            _result.SetException(error);
        }

        return open;
    }

    /// <summary>Ends the loop: at once when it is waiting, otherwise after the exchange under way completes.</summary>
    private void StopLoop()
    {
        if (Interlocked.Exchange(ref _phase, Closed) == Idle && _loop is not null)
        {
            _doorbell.Ring(false);
        }
    }

    ExchangeResult IValueTaskSource<ExchangeResult>.GetResult(short token) => _result.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ExchangeResult>.GetStatus(short token) => _result.GetStatus(token);

    void IValueTaskSource<ExchangeResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _result.OnCompleted(continuation, state, token, flags);

    /// <summary>A reusable one-shot signal carrying "run" (true) or "stop" (false) to the loop.</summary>
    private sealed class Doorbell : IValueTaskSource<bool>
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public ValueTask<bool> WaitAsync() => new(this, _core.Version);

        public void Ring(bool run) => _core.SetResult(run);

        public void Reset() => _core.Reset();

        public bool GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
