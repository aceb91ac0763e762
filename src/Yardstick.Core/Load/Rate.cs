using System.Globalization;

namespace Yardstick.Core.Load;

/// <summary>An arrival rate. Written in files as <c>200/s</c>, <c>12000/m</c> or <c>50/h</c>.</summary>
public readonly record struct Rate(double PerSecond) : IComparable<Rate>
{
    public static Rate Zero => default;

    public static Rate FromPerSecond(double perSecond) => new(perSecond);

    /// <summary>Parses <c>N/s</c>, <c>N/m</c>, <c>N/h</c> (N a non-negative decimal). Returns false on anything else.</summary>
    public static bool TryParse(string? text, out Rate rate)
    {
        rate = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == s.Length - 1)
        {
            return false;
        }

        if (!double.TryParse(s.AsSpan(0, slash).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var count)
            || count < 0 || double.IsNaN(count) || double.IsInfinity(count))
        {
            return false;
        }

        double seconds;
        switch (s[(slash + 1)..].Trim())
        {
            case "s": seconds = 1; break;
            case "m": seconds = 60; break;
            case "h": seconds = 3600; break;
            default: return false;
        }

        rate = new Rate(count / seconds);
        return true;
    }

    public int CompareTo(Rate other) => PerSecond.CompareTo(other.PerSecond);

    public static bool operator <(Rate left, Rate right) => left.PerSecond < right.PerSecond;

    public static bool operator >(Rate left, Rate right) => left.PerSecond > right.PerSecond;

    public static bool operator <=(Rate left, Rate right) => left.PerSecond <= right.PerSecond;

    public static bool operator >=(Rate left, Rate right) => left.PerSecond >= right.PerSecond;

    public override string ToString() => PerSecond.ToString("0.###", CultureInfo.InvariantCulture) + "/s";
}
