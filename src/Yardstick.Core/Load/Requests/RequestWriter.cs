using System.Buffers;
using System.Buffers.Text;
using Yardstick.Core.Datasets;

namespace Yardstick.Core.Load.Requests;

/// <summary>
/// Renders the requests of a <see cref="RequestCatalog"/> for one connection, into buffers it owns and reuses: a
/// request with nothing variable is its static bytes (no copy); otherwise the literal segments are copied and the trace
/// id, data values and Content-Length written in between. No allocation per exchange once the buffers have grown.
/// </summary>
internal sealed class RequestWriter
{
    private static readonly SearchValues<byte> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    private static readonly byte[] Hex = "0123456789ABCDEF"u8.ToArray();

    private readonly RequestCatalog _catalog;
    private readonly DataRowBuffer? _row;
    private byte[] _out = new byte[512];
    private byte[] _body = new byte[256];

    public RequestWriter(RequestCatalog catalog)
    {
        _catalog = catalog;
        _row = catalog.Data is { } data ? new DataRowBuffer(data.Columns.Count) : null;
    }

    /// <summary>The row last read by <see cref="Render"/> (null without a dataset).</summary>
    public DataRowBuffer? Row => _row;

    /// <summary>
    /// The bytes of <paramref name="exchange"/>'s request, valid until the next call. False when its data row is
    /// exhausted (nothing to send).
    /// </summary>
    public bool Render(in ExchangeRequest exchange, out ReadOnlyMemory<byte> bytes, out int bodyLength)
    {
        var request = _catalog.Compiled[exchange.RequestIndex];
        if (request.StaticBytes is { } fixedBytes)
        {
            bytes = fixedBytes;
            bodyLength = request.StaticBodyLength;
            return true;
        }

        if (request.UsesData && !_catalog.Data!.TryRead(exchange.RowKey, _row!))
        {
            bytes = default;
            bodyLength = 0;
            return false;
        }

        var templatedBody = request.StaticBodyLength < 0;
        bodyLength = templatedBody ? Write(request, request.Body, ref _body, 0, exchange) : request.StaticBodyLength;
        var length = Write(request, request.Head, ref _out, bodyLength, exchange);
        if (templatedBody)
        {
            Ensure(ref _out, length + bodyLength);
            _body.AsSpan(0, bodyLength).CopyTo(_out.AsSpan(length));
            length += bodyLength;
        }
        else
        {
            length = Write(request, request.Body, ref _out, bodyLength, exchange, length);
        }

        bytes = _out.AsMemory(0, length);
        return true;
    }

    private int Write(CompiledRequest request, Segment[] segments, ref byte[] buffer, int bodyLength, in ExchangeRequest exchange, int at = 0)
    {
        foreach (var segment in segments)
        {
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    Ensure(ref buffer, at + segment.Length);
                    request.Literal.AsSpan(segment.Start, segment.Length).CopyTo(buffer.AsSpan(at));
                    at += segment.Length;
                    break;
                case SegmentKind.TraceParent:
                    Ensure(ref buffer, at + RunCorrelation.TraceParentLength);
                    _catalog.Trace!.Write(exchange.Sequence, buffer.AsSpan(at, RunCorrelation.TraceParentLength));
                    at += RunCorrelation.TraceParentLength;
                    break;
                case SegmentKind.ContentLength:
                    Ensure(ref buffer, at + 11);
                    Utf8Formatter.TryFormat(bodyLength, buffer.AsSpan(at), out var written);
                    at += written;
                    break;
                default:
                    at = WriteValue(_row!.Value(segment.Column), segment.Encoding, ref buffer, at);
                    break;
            }
        }

        return at;
    }

    /// <summary>Writes a data value with its encoding; at most 6 bytes per input byte (JSON <c>\u00XX</c>) plus quotes.</summary>
    internal static int WriteValue(ReadOnlySpan<byte> value, ValueEncoding encoding, ref byte[] buffer, int at)
    {
        Ensure(ref buffer, at + (value.Length * 6) + 2);
        var span = buffer.AsSpan();
        switch (encoding)
        {
            case ValueEncoding.Url:
                foreach (var b in value)
                {
                    if (Unreserved.Contains(b))
                    {
                        span[at++] = b;
                    }
                    else
                    {
                        span[at++] = (byte)'%';
                        span[at++] = Hex[b >> 4];
                        span[at++] = Hex[b & 0xF];
                    }
                }

                return at;
            case ValueEncoding.Header:
                foreach (var b in value)
                {
                    span[at++] = b switch
                    {
                        < 0x20 or 0x7F when b != (byte)'\t' => (byte)' ',
                        >= 0x80 => (byte)'?',
                        _ => b,
                    };
                }

                return at;
            case ValueEncoding.JsonString:
                return WriteJsonEscaped(value, span, at);
            case ValueEncoding.JsonValue:
                if (IsJsonLiteral(value))
                {
                    value.CopyTo(span[at..]);
                    return at + value.Length;
                }

                span[at++] = (byte)'"';
                at = WriteJsonEscaped(value, span, at);
                span[at++] = (byte)'"';
                return at;
            default:
                value.CopyTo(span[at..]);
                return at + value.Length;
        }
    }

    private static int WriteJsonEscaped(ReadOnlySpan<byte> value, Span<byte> span, int at)
    {
        foreach (var b in value)
        {
            switch (b)
            {
                case (byte)'"':
                case (byte)'\\':
                    span[at++] = (byte)'\\';
                    span[at++] = b;
                    break;
                case (byte)'\n':
                    span[at++] = (byte)'\\';
                    span[at++] = (byte)'n';
                    break;
                case (byte)'\r':
                    span[at++] = (byte)'\\';
                    span[at++] = (byte)'r';
                    break;
                case (byte)'\t':
                    span[at++] = (byte)'\\';
                    span[at++] = (byte)'t';
                    break;
                case < 0x20:
                    "\\u00"u8.CopyTo(span[at..]);
                    span[at + 4] = Hex[b >> 4];
                    span[at + 5] = Hex[b & 0xF];
                    at += 6;
                    break;
                default:
                    span[at++] = b;
                    break;
            }
        }

        return at;
    }

    /// <summary>A JSON number, <c>true</c>, <c>false</c> or <c>null</c> (anything else, the empty value too, is written as a string).</summary>
    internal static bool IsJsonLiteral(ReadOnlySpan<byte> value)
    {
        if (value.SequenceEqual("true"u8) || value.SequenceEqual("false"u8) || value.SequenceEqual("null"u8))
        {
            return true;
        }

        // JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
        var i = 0;
        if (i < value.Length && value[i] == (byte)'-')
        {
            i++;
        }

        if (i >= value.Length || !char.IsAsciiDigit((char)value[i]))
        {
            return false;
        }

        if (value[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            while (i < value.Length && char.IsAsciiDigit((char)value[i]))
            {
                i++;
            }
        }

        if (i < value.Length && value[i] == (byte)'.')
        {
            i++;
            var digits = i;
            while (i < value.Length && char.IsAsciiDigit((char)value[i]))
            {
                i++;
            }

            if (i == digits)
            {
                return false;
            }
        }

        if (i < value.Length && (value[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < value.Length && value[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var digits = i;
            while (i < value.Length && char.IsAsciiDigit((char)value[i]))
            {
                i++;
            }

            if (i == digits)
            {
                return false;
            }
        }

        return i == value.Length;
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length));
        }
    }
}
