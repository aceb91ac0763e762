using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>Line framing and the line-level grammar: status line, header lines, chunk-size lines, trailers.</summary>
internal sealed partial class Http1ResponseParser
{
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
