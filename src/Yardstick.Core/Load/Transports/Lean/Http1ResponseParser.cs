using System.Buffers;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>True once any byte of the current response was consumed.</summary>
    public bool HasStarted => _started;

    /// <summary>When set, body bytes (de-chunked) are copied here; for tests and diagnostics, not the hot path.</summary>
    public IBufferWriter<byte>? BodySink { get; set; }

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

    /// <summary>
    /// Takes one LF-terminated line (CR stripped) starting at <paramref name="consumed"/>. A line split across
    /// chunks is gathered in <see cref="_line"/>; lines and header sections are bounded by the limits.
    /// </summary>
    private bool TryTakeLine(ReadOnlySpan<byte> data, ref int consumed, out ReadOnlySpan<byte> line)
    {
        line = default;
        var rest = data[consumed..];
        var lf = rest.IndexOf((byte)'\n');
        var piece = lf < 0 ? rest.Length : lf;
        if (_lineLength + piece > _limits.MaxLineBytes)
        {
            Fail($"{LineKind()} is longer than {_limits.MaxLineBytes} bytes");
            return false;
        }

        if (_state != State.ChunkSize)
        {
            _sectionBytes += lf < 0 ? piece : piece + 1;
            if (_sectionBytes > _limits.MaxHeaderSectionBytes)
            {
                Fail($"{(_state == State.Trailers ? "trailer" : "response header")} section is larger than {_limits.MaxHeaderSectionBytes} bytes");
                return false;
            }
        }

        if (lf < 0)
        {
            if (piece > 0)
            {
                EnsureLineCapacity(_lineLength + piece);
                rest.CopyTo(_line.AsSpan(_lineLength));
                _lineLength += piece;

                // Check a status line as soon as its start is visible: a peer speaking TLS or HTTP/2 may never send LF.
                var prefix = Math.Min(_lineLength, 7);
                if (_state == State.StatusLine && !_line.AsSpan(0, prefix).SequenceEqual("HTTP/1."u8[..prefix]))
                {
                    Fail($"invalid status line '{Printable(_line.AsSpan(0, _lineLength))}': expected 'HTTP/1.x NNN reason'");
                    return false;
                }
            }

            consumed = data.Length;
            return false;
        }

        if (_lineLength == 0)
        {
            line = rest[..lf];
        }
        else
        {
            EnsureLineCapacity(_lineLength + lf);
            rest[..lf].CopyTo(_line.AsSpan(_lineLength));
            line = _line.AsSpan(0, _lineLength + lf);
            _lineLength = 0;
        }

        consumed += lf + 1;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return true;
    }

    /// <summary>Grows the partial-line buffer by doubling, up to the line limit; most connections never need it.</summary>
    [MemberNotNull(nameof(_line))]
    private void EnsureLineCapacity(int bytes)
    {
        if (_line is null || _line.Length < bytes)
        {
            var grown = new byte[Math.Min(_limits.MaxLineBytes, Math.Max(bytes, Math.Max(256, (_line?.Length ?? 0) * 2)))];
            _line?.AsSpan(0, _lineLength).CopyTo(grown);
            _line = grown;
        }
    }

    private string LineKind() => _state switch
    {
        State.StatusLine => "status line",
        State.ChunkSize => "chunk-size line",
        State.Trailers => "trailer line",
        _ => "header line",
    };

    private bool OnLine(ReadOnlySpan<byte> line)
    {
        if (line.Contains((byte)'\r'))
        {
            return Reject($"bare CR inside a {LineKind()}");
        }

        return _state switch
        {
            State.StatusLine => OnStatusLine(line),
            State.Headers => line.IsEmpty ? OnHeadersEnd() : OnHeaderLine(line),
            State.ChunkSize => OnChunkSizeLine(line),
            _ => OnTrailerLine(line),
        };
    }

    private bool OnStatusLine(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.x NNN[ reason]": the reason phrase may be empty or missing.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != (byte)' ') || line[9] == (byte)'0')
        {
            return Reject($"invalid status line '{Printable(line)}': expected 'HTTP/1.x NNN reason'");
        }

        _versionMinor = line[7] - '0';
        StatusCode = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        _state = State.Headers;
        return true;
    }

    private bool OnHeaderLine(ReadOnlySpan<byte> line)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            return Reject("obsolete header line folding (a line starting with whitespace) is not supported");
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return Reject("header line without 'name:'");
        }

        var name = line[..colon];
        if (name[^1] is (byte)' ' or (byte)'\t')
        {
            return Reject($"whitespace between header name '{Printable(name.TrimEnd(" \t"u8))}' and colon");
        }

        return OnHeader(name, line[(colon + 1)..].Trim(" \t"u8));
    }

    private bool OnHeadersEnd()
    {
        if (StatusCode < 200)
        {
            if (StatusCode == 101)
            {
                return Reject("unexpected 101 Switching Protocols: no upgrade was requested");
            }

            if (++_interimResponses > _limits.MaxInterimResponses)
            {
                return Reject($"more than {_limits.MaxInterimResponses} interim (1xx) responses");
            }

            ResetResponseHead();
            _state = State.StatusLine;
            return true;
        }

        var keepAlive = _versionMinor >= 1 ? !_connectionClose : _connectionKeepAlive && !_connectionClose;
        if (_head || StatusCode is 204 or 304)
        {
            _state = State.Done;
        }
        else if (_hasTransferEncoding)
        {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a final coding other than chunked
            // means the body runs to the close. Both present smells of smuggling: do not reuse the connection.
            keepAlive &= _chunked && _contentLength < 0;
            _state = _chunked ? State.ChunkSize : State.CloseDelimited;
        }
        else if (_contentLength >= 0)
        {
            _remaining = _contentLength;
            _state = _remaining == 0 ? State.Done : State.FixedBody;
        }
        else
        {
            keepAlive = false;
            _state = State.CloseDelimited;
        }

        KeepAlive = keepAlive;
        return true;
    }

    private bool OnChunkSizeLine(ReadOnlySpan<byte> line)
    {
        long size = 0;
        var i = 0;
        for (; i < line.Length; i++)
        {
            var digit = HexValue(line[i]);
            if (digit < 0)
            {
                break;
            }

            if (i >= _limits.MaxChunkSizeDigits)
            {
                return Reject($"chunk size has more than {_limits.MaxChunkSizeDigits} hex digits");
            }

            size = (size << 4) | (uint)digit;
        }

        var rest = line[i..].TrimStart(" \t"u8);
        if (i == 0 || (!rest.IsEmpty && rest[0] != (byte)';'))
        {
            return Reject($"invalid chunk-size line '{Printable(line)}': expected hex digits, optionally followed by ';extension'");
        }

        if (size == 0)
        {
            _sectionBytes = 0;
            _state = State.Trailers;
        }
        else
        {
            _remaining = size;
            _state = State.ChunkData;
        }

        return true;
    }

    private bool OnTrailerLine(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            _state = State.Done;
        }

        // Trailer fields carry nothing Yardstick measures; they only count against the section limit.
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>At most 40 printable ASCII characters of a line, for error messages.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, 40) + 3);
        foreach (var b in bytes[..Math.Min(bytes.Length, 40)])
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }

        return bytes.Length > 40 ? text.Append("...").ToString() : text.ToString();
    }
}
