using System.Diagnostics;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Maps <see cref="Stopwatch"/> ticks to wall-clock time for one shard. Captured once at the shard start, so
/// every timestamp of the shard shares one monotonic base (wall-clock steps during a run do not distort it).
/// </summary>
internal readonly struct ShardClock
{
    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public ShardClock(long originTicks, DateTimeOffset origin)
    {
        OriginTicks = originTicks;
        Origin = origin;
        OriginUnixMicros = (origin.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    }

    /// <summary>Stopwatch ticks at <see cref="Origin"/> (may be in the past when the shard started late).</summary>
    public long OriginTicks { get; }

    public DateTimeOffset Origin { get; }

    public long OriginUnixMicros { get; }

    /// <summary>Reads the wall clock and the stopwatch once and maps <paramref name="origin"/> onto stopwatch ticks.</summary>
    public static ShardClock Capture(TimeProvider timeProvider, DateTimeOffset origin)
    {
        var wall = timeProvider.GetUtcNow();
        var ticks = Stopwatch.GetTimestamp();
        var behind = (long)((wall - origin).TotalSeconds * Stopwatch.Frequency);
        return new ShardClock(ticks - behind, origin);
    }

    public static long MicrosFromTicks(long tickDelta) => (long)(tickDelta * MicrosPerTick);

    public static long TicksFromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public long ToUnixMicros(long ticks) => OriginUnixMicros + MicrosFromTicks(ticks - OriginTicks);

    public long ToUnixSecond(long ticks) => Math.DivRem(ToUnixMicros(ticks), 1_000_000L, out var rem) - (rem < 0 ? 1 : 0);

    public DateTimeOffset ToWallClock(long ticks) => Origin + Stopwatch.GetElapsedTime(OriginTicks, ticks);
}
