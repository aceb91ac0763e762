using System.Globalization;

namespace Yardstick.Core.Load.Transports;

/// <summary>Reads the first <c>dur=</c> value of a <c>Server-Timing</c> header (milliseconds).</summary>
public static class ServerTiming
{
    public static double? TryParseDuration(string? header) => header is null ? null : TryParseDuration(header.AsSpan());

    public static double? TryParseDuration(ReadOnlySpan<char> header)
    {
        var index = header.IndexOf("dur=", StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return null;
        }

        var rest = header[(index + 4)..];
        var end = 0;
        while (end < rest.Length && (char.IsAsciiDigit(rest[end]) || rest[end] == '.'))
        {
            end++;
        }

        return double.TryParse(rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }
}
