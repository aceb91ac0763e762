using System.Buffers.Text;
using System.Text;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>The header fields the parser acts on; every other field is skipped without a copy.</summary>
internal sealed partial class Http1ResponseParser
{
    private bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // Dispatch on length first: most fields are rejected by one integer compare.
        switch (name.Length)
        {
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                return OnContentLength(value);
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                OnTransferEncoding(value);
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                OnConnection(value);
                break;
            case 13 when !_serverTimingSeen && Ascii.EqualsIgnoreCase(name, "server-timing"u8):
                OnServerTiming(value);
                break;
        }

        if (name.Length == _instanceName.Length && Ascii.EqualsIgnoreCase(name, _instanceName))
        {
            CaptureInstance(value);
        }

        // Interim (1xx) responses' fields are not the final response's.
        if (StatusCode >= 200)
        {
            Capture?.OnHeader(name, value);
        }

        return true;
    }

    private bool OnContentLength(ReadOnlySpan<byte> value)
    {
        // A list of identical values ("5, 5") is allowed (RFC 9110 §8.6); anything else is an error.
        var length = -1L;
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (!TryParseDecimal(item, out var parsed))
            {
                return Reject("invalid Content-Length: not a non-negative decimal integer");
            }

            if (length >= 0 && parsed != length)
            {
                return Reject("conflicting Content-Length values");
            }

            length = parsed;
        }

        if (_contentLength >= 0 && _contentLength != length)
        {
            return Reject("conflicting Content-Length values");
        }

        _contentLength = length;
        return true;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private void OnTransferEncoding(ReadOnlySpan<byte> value)
    {
        // Only the final coding decides the framing; several header lines form one list, so the last line wins.
        _hasTransferEncoding = true;
        var comma = value.LastIndexOf((byte)',');
        var last = comma < 0 ? value : value[(comma + 1)..].Trim(" \t"u8);
        _chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
    }

    private void OnConnection(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                _connectionClose = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                _connectionKeepAlive = true;
            }
        }
    }

    private void OnServerTiming(ReadOnlySpan<byte> value)
    {
        // Like the handler, which joins all Server-Timing lines: the first "dur=" of the response decides.
        if (TryFindServerTimingDuration(value, out var duration))
        {
            _serverTimingSeen = true;
            ServerDurationMs = duration;
        }
    }

    /// <summary>
    /// Finds the first <c>dur=</c> (case-insensitive) and reads the digits and dots after it, exactly like
    /// <see cref="ServerTiming.TryParseDuration(string?)"/> does on strings. True when <c>dur=</c> was present.
    /// </summary>
    internal static bool TryFindServerTimingDuration(ReadOnlySpan<byte> value, out double? durationMs)
    {
        durationMs = null;
        for (var i = 0; i + 4 <= value.Length; i++)
        {
            if ((value[i] | 0x20) != 'd' || !Ascii.EqualsIgnoreCase(value.Slice(i, 4), "dur="u8))
            {
                continue;
            }

            var rest = value[(i + 4)..];
            var end = 0;
            while (end < rest.Length && (char.IsAsciiDigit((char)rest[end]) || rest[end] == (byte)'.'))
            {
                end++;
            }

            if (end > 0 && Utf8Parser.TryParse(rest[..end], out double ms, out var used) && used == end)
            {
                durationMs = ms;
            }

            return true;
        }

        return false;
    }

    /// <summary>Compares with the last value seen on this connection; a string is made only when the value changes.</summary>
    private void CaptureInstance(ReadOnlySpan<byte> value)
    {
        if (value.Length > _instanceValue.Length)
        {
            value = value[.._instanceValue.Length];
        }

        if (_instanceString is null || !value.SequenceEqual(_instanceValue.AsSpan(0, _instanceValueLength)))
        {
            value.CopyTo(_instanceValue);
            _instanceValueLength = value.Length;
            _instanceString = Encoding.Latin1.GetString(value);
        }

        InstanceId = _instanceString;
    }
}
