using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Yardstick.Core.Load;

/// <summary>
/// Waits for a Stopwatch timestamp precisely and cheaply. On Linux the pacer thread asks the kernel for a 1 µs timer
/// slack (<c>PR_SET_TIMERSLACK</c>; the default 50 µs is added to every sleep) and sleeps with <c>clock_nanosleep</c>
/// until the due time itself, never spinning: such sleeps overshoot by ~40–60 µs (p50) and ~120 µs (p99) on the 2-core
/// VM, which the scheduling lag shows and which <see cref="ArrivalPacer"/> turns into batching (one wake-up serves every
/// arrival that fell due meanwhile). Measured at 5,000 arrivals/s on one core: waking 40 µs early and spinning the rest
/// gave lag p50 ≈ 2 µs but cost ~10 µs more CPU per request (65 against 55 µs in paired runs); the old 1.5 ms
/// yield-spin window kept a whole core busy (~200 µs per request).
/// Elsewhere, and if the call fails, it falls back to <c>Thread.Sleep</c> (which may take ~1.2 ms for 1 ms) and
/// yield-spins the last <see cref="PortableSpinWindow"/>. The scheduling-lag histogram measures how well either works.
/// </summary>
internal static partial class Pacing
{
    /// <summary>Below this much remaining time the portable pacer stops sleeping (Sleep(1) may take ~1.2 ms).</summary>
    public static readonly TimeSpan PortableSpinWindow = TimeSpan.FromMilliseconds(1.5);

    private const int PrSetTimerSlack = 29;
    private const int ClockMonotonic = 1;
    private const long TimerSlackNanoseconds = 1_000;
    private const long MaxSleepNanoseconds = 100_000_000; // 100 ms slices, so cancellation is noticed promptly

    private static readonly long PortableSpinTicks = ToTicks(PortableSpinWindow);
    private static readonly long YieldWindowTicks = Stopwatch.Frequency / 20_000; // 50 µs
    private static readonly long TicksPerMs = Stopwatch.Frequency / 1000;

    // Set once a high-resolution sleep fails (an unusual libc, a seccomp filter): the portable path from then on.
    private static volatile bool s_nanosleepUnavailable = !OperatingSystem.IsLinux();

    [ThreadStatic]
    private static bool t_timerSlackSet;

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

            if (!s_nanosleepUnavailable)
            {
                if (SleepPrecisely(remaining))
                {
                    continue;
                }

                s_nanosleepUnavailable = true;
            }

            if (remaining > PortableSpinTicks)
            {
                var ms = (int)Math.Clamp((remaining - PortableSpinTicks) / TicksPerMs, 1, 100);
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

    /// <summary>One relative <c>clock_nanosleep</c> of up to 100 ms; false when the platform refuses it.</summary>
    private static bool SleepPrecisely(long ticks)
    {
        try
        {
            if (!t_timerSlackSet)
            {
                // Per thread, best effort: without it sleeps are only ~50 µs less precise.
                _ = Prctl(PrSetTimerSlack, (nuint)TimerSlackNanoseconds, 0, 0, 0);
                t_timerSlackSet = true;
            }

            var nanoseconds = Math.Min(MaxSleepNanoseconds, (long)(ticks * (1e9 / Stopwatch.Frequency)));
            var request = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            var result = ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
            return result is 0 or 4; // 4 = EINTR: woken early by a signal; the caller's loop sleeps again
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
