using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>What <see cref="Http1ResponseParser.Parse"/> concluded about the bytes seen so far.</summary>
internal enum Http1ParseStatus
{
    /// <summary>The response is not complete yet; feed more bytes (or call <see cref="Http1ResponseParser.Finish"/> at end of stream).</summary>
    NeedMoreData,

    /// <summary>A whole final response was read; bytes after it were not consumed.</summary>
    Complete,

    /// <summary>The input is not valid HTTP/1.x (or exceeds a limit); see <see cref="Http1ResponseParser.Error"/>.</summary>
    Error,
}

/// <summary>
/// Incremental HTTP/1.x response parser: feed it byte chunks split anywhere. It reads the status line and
/// headers (names case-insensitive), skips 1xx interim responses, and frames the body by Content-Length,
/// chunked transfer coding (extensions and trailers ignored) or connection close, with no body for
/// HEAD, 204 and 304 (RFC 9112 §6.3). It keeps only counters and one partial line, never the body
/// (unless <see cref="BodySink"/> is set), so memory stays bounded by <see cref="Http1ParserLimits"/>.
/// One instance per connection: it remembers the last instance-header value so that an unchanged value
/// costs no allocation.
/// </summary>
internal sealed partial class Http1ResponseParser
{
    private enum State
    {
        StatusLine,
        Headers,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        Trailers,
        CloseDelimited,
        Done,
        Failed,
    }

    private readonly Http1ParserLimits _limits;
    private readonly byte[] _instanceName;
    private readonly byte[] _instanceValue;
    private int _instanceValueLength;
    private string? _instanceString;

    private byte[]? _line;
    private int _lineLength;
    private State _state;
    private bool _head;
    private bool _started;
    private int _sectionBytes;
    private int _interimResponses;
    private int _versionMinor;
    private long _remaining;
    private long _contentLength;
    private bool _hasTransferEncoding;
    private bool _chunked;
    private bool _connectionClose;
    private bool _connectionKeepAlive;
    private bool _serverTimingSeen;

    /// <param name="instanceHeader">Response header whose value is captured into <see cref="InstanceId"/>.</param>
    /// <param name="limits">Bounds; <see cref="Http1ParserLimits.Default"/> when null.</param>
    public Http1ResponseParser(string instanceHeader, Http1ParserLimits? limits = null)
    {
        _limits = limits ?? Http1ParserLimits.Default;
        _instanceName = Encoding.ASCII.GetBytes(instanceHeader);
        _instanceValue = new byte[_limits.MaxInstanceValueBytes];
        Reset(head: false);
    }

    /// <summary>Status code of the final response (after any 1xx), once its status line was read.</summary>
    public int StatusCode { get; private set; }

    /// <summary>Body bytes of the current response (decoded: chunk framing excluded).</summary>
    public long BodyBytes { get; private set; }

    /// <summary>Whether the connection may carry another request after this response (valid once complete).</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>The instance header of this response; equal values return the same string instance.</summary>
    public string? InstanceId { get; private set; }

    /// <summary>First <c>dur=</c> of <c>Server-Timing</c> in milliseconds, when present.</summary>
    public double? ServerDurationMs { get; private set; }

    /// <summary>Why parsing failed (never quotes header values).</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// The exchange's result once this response is complete (both lean connections build it here), ending at
    /// <paramref name="end"/> (its last byte received) or, when that is 0, now.
    /// </summary>
    public ExchangeResult ToResponseResult(int bytesSent, long start, long connected, long tls, long firstByte, long end = 0) => new()
    {
        Outcome = ExchangeOutcome.Response,
        StatusCode = StatusCode,
        BytesSent = bytesSent,
        BytesReceived = (int)Math.Min(int.MaxValue, BodyBytes),
        StartTimestamp = start,
        ConnectedTimestamp = connected,
        TlsTimestamp = tls,
        FirstByteTimestamp = firstByte,
        EndTimestamp = end != 0 ? end : Stopwatch.GetTimestamp(),
        InstanceId = InstanceId,
        ServerDurationMs = ServerDurationMs,
    };

    /// <summary>True once any byte of the current response was consumed.</summary>
    public bool HasStarted => _started;

    /// <summary>When set, body bytes (de-chunked) are copied here; for tests and diagnostics, not the hot path.</summary>
    public IBufferWriter<byte>? BodySink { get; set; }

    /// <summary>When set, the checks' headers and body are handed to it (only connections whose requests have such checks).</summary>
    public Checks.ResponseCapture? Capture { get; set; }

    /// <summary>Prepares for the next response. <paramref name="head"/>: the request was HEAD (no body follows).</summary>
    public void Reset(bool head)
    {
        _head = head;
        _state = State.StatusLine;
        _started = false;
        _lineLength = 0;
        _interimResponses = 0;
        BodyBytes = 0;
        KeepAlive = false;
        Error = null;
        ResetResponseHead();
    }

    /// <summary>
    /// Consumes bytes of the response. Returns <see cref="Http1ParseStatus.Complete"/> as soon as the response ends;
    /// <paramref name="consumed"/> then tells where (anything after belongs to the next response).
    /// </summary>
    public Http1ParseStatus Parse(ReadOnlySpan<byte> data, out int consumed)
    {
        consumed = 0;
        if (_state == State.Failed)
        {
            return Http1ParseStatus.Error;
        }

        if (_state != State.Done && !data.IsEmpty)
        {
            _started = true;
        }

        while (true)
        {
            switch (_state)
            {
                case State.StatusLine:
                case State.Headers:
                case State.ChunkSize:
                case State.Trailers:
                    if (!TryTakeLine(data, ref consumed, out var line))
                    {
                        return _state == State.Failed ? Http1ParseStatus.Error : Http1ParseStatus.NeedMoreData;
                    }

                    if (!OnLine(line))
                    {
                        return Http1ParseStatus.Error;
                    }

                    break;

                case State.FixedBody:
                case State.ChunkData:
                {
                    var available = data.Length - consumed;
                    if (available == 0)
                    {
                        return Http1ParseStatus.NeedMoreData;
                    }

                    var take = (int)Math.Min(available, _remaining);
                    TakeBody(data.Slice(consumed, take));
                    consumed += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.FixedBody ? State.Done : State.ChunkDataCr;
                    }

                    break;
                }

                case State.ChunkDataCr:
                case State.ChunkDataLf:
                {
                    if (consumed == data.Length)
                    {
                        return Http1ParseStatus.NeedMoreData;
                    }

                    var b = data[consumed++];
                    if (b == (byte)'\n')
                    {
                        _state = State.ChunkSize;
                    }
                    else if (b == (byte)'\r' && _state == State.ChunkDataCr)
                    {
                        _state = State.ChunkDataLf;
                    }
                    else
                    {
                        return Fail("chunk data is not followed by CRLF (chunk size does not match the data)");
                    }

                    break;
                }

                case State.CloseDelimited:
                    TakeBody(data[consumed..]);
                    consumed = data.Length;
                    return Http1ParseStatus.NeedMoreData;

                case State.Done:
                    return Http1ParseStatus.Complete;

                default:
                    return Http1ParseStatus.Error;
            }
        }
    }

    /// <summary>The peer closed the connection: completes a close-delimited body, otherwise reports the truncation.</summary>
    public Http1ParseStatus Finish()
    {
        switch (_state)
        {
            case State.CloseDelimited:
                _state = State.Done;
                return Http1ParseStatus.Complete;
            case State.Done:
                return Http1ParseStatus.Complete;
            case State.Failed:
                return Http1ParseStatus.Error;
            case State.StatusLine when !_started:
                return Fail("connection closed before any response byte");
            case State.StatusLine:
            case State.Headers:
                return Fail("connection closed in the middle of the response headers");
            case State.FixedBody:
                return Fail($"truncated body: connection closed after {_contentLength - _remaining} of {_contentLength} bytes");
            default:
                return Fail("truncated chunked body: connection closed before the last chunk");
        }
    }

    private void ResetResponseHead()
    {
        StatusCode = 0;
        InstanceId = null;
        ServerDurationMs = null;
        _serverTimingSeen = false;
        _sectionBytes = 0;
        _versionMinor = 1;
        _remaining = 0;
        _contentLength = -1;
        _hasTransferEncoding = false;
        _chunked = false;
        _connectionClose = false;
        _connectionKeepAlive = false;
    }

    private void TakeBody(ReadOnlySpan<byte> body)
    {
        BodyBytes += body.Length;
        BodySink?.Write(body);
        Capture?.OnBody(body);
    }

    private Http1ParseStatus Fail(string message)
    {
        _state = State.Failed;
        Error = message;
        return Http1ParseStatus.Error;
    }

    private bool Reject(string message)
    {
        Fail(message);
        return false;
    }
}
