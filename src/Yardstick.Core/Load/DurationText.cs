using System.Globalization;

namespace Yardstick.Core.Load;

/// <summary>Durations as written in workload files: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, or combined (<c>1m30s</c>).</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var total = 0.0;
        var i = 0;
        var any = false;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            double ms;
            switch (s[unitStart..i])
            {
                case "ms": ms = 1; break;
                case "s": ms = 1000; break;
                case "m": ms = 60_000; break;
                case "h": ms = 3_600_000; break;
                default: return false;
            }

            total += value * ms;
            any = true;
        }

        if (!any || total > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>Formats a duration the way files write it (<c>1m30s</c>, <c>250ms</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration.TotalSeconds < 1 || duration.Milliseconds != 0)
        {
            return duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var parts = new System.Text.StringBuilder();
        if (duration.Days > 0 || duration.Hours > 0)
        {
            parts.Append((int)duration.TotalHours).Append('h');
        }

        if (duration.Minutes > 0)
        {
            parts.Append(duration.Minutes).Append('m');
        }

        if (duration.Seconds > 0)
        {
            parts.Append(duration.Seconds).Append('s');
        }

        return parts.ToString();
    }
}
