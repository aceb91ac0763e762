using System.Diagnostics;

namespace Yardstick.Core.Load;

/// <summary>
/// Waits for a Stopwatch timestamp precisely: sleep until near, then yield-spin. On this kind of kernel timers tick
/// at ~4 ms and <c>Thread.Sleep(1)</c> takes ~1.2 ms, so sleeping is only safe while more than
/// <see cref="SpinWindow"/> remains; the scheduling-lag histogram measures how well this works.
/// </summary>
internal static class Pacing
{
    /// <summary>Below this much remaining time the pacer stops sleeping (Sleep(1) may take ~1.2 ms).</summary>
    public static readonly TimeSpan SpinWindow = TimeSpan.FromMilliseconds(1.5);

    private static readonly long SpinWindowTicks = (long)(SpinWindow.TotalSeconds * Stopwatch.Frequency);
    private static readonly long YieldWindowTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly long TicksPerMs = Stopwatch.Frequency / 1000;

    /// <summary>Returns when <paramref name="dueTicks"/> is reached (true) or the token is cancelled (false).</summary>
    public static bool WaitUntil(long dueTicks, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = dueTicks - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (remaining > SpinWindowTicks)
            {
                // Sleep in slices of at most 100 ms so cancellation is noticed promptly.
                var ms = (int)Math.Clamp((remaining - SpinWindowTicks) / TicksPerMs, 1, 100);
                Thread.Sleep(ms);
            }
            else if (remaining > YieldWindowTicks)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
