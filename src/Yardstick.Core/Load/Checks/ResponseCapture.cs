using System.Text;

namespace Yardstick.Core.Load.Checks;

/// <summary>
/// What one connection keeps of a response for its request's checks: the headers they name and, when a body or json
/// check needs it, the body up to <see cref="MaxBodyBytes"/> (beyond that the body is only counted and those checks
/// fail: a hostile or runaway response cannot make the generator buffer without bound). One per connection, reused
/// for every exchange; connections of a shard with no such checks have none.
/// </summary>
public sealed class ResponseCapture
{
    /// <summary>The most body bytes a body or json check inspects; a longer body fails them (size checks still count it all).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private const int InitialBodyBytes = 4 * 1024;

    private readonly string?[] _headers;
    private ResponseChecks? _checks;
    private byte[] _body = [];
    private int _bodyLength;

    /// <param name="maxHeaderNames">The most header names one request's checks read (slots to keep).</param>
    public ResponseCapture(int maxHeaderNames)
    {
        _headers = new string?[Math.Max(0, maxHeaderNames)];
    }

    /// <summary>The body of the current response, when its checks asked for it.</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyLength);

    /// <summary>As <see cref="Body"/>, as memory.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _body.AsMemory(0, _bodyLength);

    /// <summary>The body was longer than <see cref="MaxBodyBytes"/>: only its start was kept.</summary>
    public bool BodyTruncated { get; private set; }

    /// <summary>Starts a new response for a request with <paramref name="checks"/> (null: capture nothing).</summary>
    public void Begin(ResponseChecks? checks)
    {
        _checks = checks;
        Array.Clear(_headers);
        _bodyLength = 0;
        BodyTruncated = false;
    }

    /// <summary>The captured value of header slot <paramref name="slot"/> (null when absent); repeated fields are joined with ", ".</summary>
    public string? Header(int slot) => (uint)slot < (uint)_headers.Length ? _headers[slot] : null;

    /// <summary>A response header field (raw bytes); kept when the current checks read it.</summary>
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_checks is not { } checks)
        {
            return;
        }

        var names = checks.HeaderNameBytes;
        for (var i = 0; i < names.Length && i < _headers.Length; i++)
        {
            if (name.Length == names[i].Length && Ascii.EqualsIgnoreCase(name, names[i]))
            {
                var text = Encoding.Latin1.GetString(value.Trim(" \t"u8));
                _headers[i] = _headers[i] is { } previous ? previous + ", " + text : text;
                return;
            }
        }
    }

    /// <summary>A response header from a transport that hands out strings.</summary>
    public void OnHeader(string name, string value)
    {
        if (_checks is not { } checks)
        {
            return;
        }

        for (var i = 0; i < checks.HeaderNames.Count && i < _headers.Length; i++)
        {
            if (name.Equals(checks.HeaderNames[i], StringComparison.OrdinalIgnoreCase))
            {
                _headers[i] = _headers[i] is { } previous ? previous + ", " + value : value;
                return;
            }
        }
    }

    /// <summary>Body bytes (de-chunked), in order; kept up to <see cref="MaxBodyBytes"/> when the current checks read the body.</summary>
    public void OnBody(ReadOnlySpan<byte> data)
    {
        if (_checks is not { NeedsBody: true } || BodyTruncated || data.IsEmpty)
        {
            return;
        }

        var room = MaxBodyBytes - _bodyLength;
        if (data.Length > room)
        {
            BodyTruncated = true;
            return;
        }

        if (_bodyLength + data.Length > _body.Length)
        {
            var size = Math.Max(InitialBodyBytes, _body.Length);
            while (size < _bodyLength + data.Length)
            {
                size *= 2;
            }

            Array.Resize(ref _body, Math.Min(size, MaxBodyBytes));
        }

        data.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += data.Length;
    }
}
