using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Yardstick.SampleTarget;

/// <summary>
/// Fault toggles for fault runs, only when the target was started with <c>--admin</c> (or
/// <see cref="SampleTargetOptions.AdminVariable"/>): otherwise <c>/admin/…</c> is 404, so a sample target deployed
/// anywhere cannot be stalled remotely by default.
/// <list type="bullet">
/// <item><c>POST /admin/stall?ms=N&amp;for=D</c>: every /api request waits N ms extra (0..<see cref="MaxStallMs"/>) for D;</item>
/// <item><c>POST /admin/fail?rate=R&amp;for=D</c>: that share of /api requests (0..1, spread evenly) answer 503 for D;</item>
/// <item><c>POST /admin/clear</c>: ends both at once.</item>
/// </list>
/// D is <c>250ms</c>, <c>5s</c>, <c>2m</c> or bare milliseconds, at most <see cref="MaxToggleDuration"/>. A new toggle of a
/// kind replaces the one before it. Bad values are refused with 400 naming the parameter, never clamped: a fault that
/// silently did less than asked would make a recovery measurement lie.
/// </summary>
public sealed partial class SampleApp
{
    /// <summary>The largest extra wait <c>/admin/stall</c> accepts.</summary>
    public const int MaxStallMs = 60_000;

    /// <summary>The longest a toggle may stay on, so a forgotten fault ends by itself.</summary>
    public static readonly TimeSpan MaxToggleDuration = TimeSpan.FromMinutes(10);

    private long _faultStallMs;
    private long _faultStallUntilTimestamp;
    private long _faultFailRateBits;
    private long _faultFailUntilTimestamp;
    private long _faultFailCounter;

    /// <summary>Whether an admin stall is in force now (tests and logs).</summary>
    public bool AdminStallActive => IsActive(Volatile.Read(ref _faultStallUntilTimestamp));

    /// <summary>Whether an admin failure rate is in force now.</summary>
    public bool AdminFailActive => IsActive(Volatile.Read(ref _faultFailUntilTimestamp));

    private static bool IsActive(long until) => until != 0 && Stopwatch.GetTimestamp() < until;

    private async Task HandleAdminAsync(HttpContext context, string path, long start)
    {
        if (!_options.Admin)
        {
            await WriteAsync(context, start, StatusCodes.Status404NotFound, []);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WriteAsync(context, start, StatusCodes.Status405MethodNotAllowed, []);
            return;
        }

        string? error;
        switch (path)
        {
            case "/admin/stall":
                error = ParseStall(context, out var ms, out var stallFor);
                if (error is null)
                {
                    Volatile.Write(ref _faultStallMs, ms);
                    Volatile.Write(ref _faultStallUntilTimestamp, Stopwatch.GetTimestamp() + ToTicks(stallFor));
                }

                break;
            case "/admin/fail":
                error = ParseFail(context, out var rate, out var failFor);
                if (error is null)
                {
                    Interlocked.Exchange(ref _faultFailCounter, 0);
                    Volatile.Write(ref _faultFailRateBits, BitConverter.DoubleToInt64Bits(rate));
                    Volatile.Write(ref _faultFailUntilTimestamp, Stopwatch.GetTimestamp() + ToTicks(failFor));
                }

                break;
            case "/admin/clear":
                error = null;
                Volatile.Write(ref _faultStallUntilTimestamp, 0);
                Volatile.Write(ref _faultFailUntilTimestamp, 0);
                break;
            default:
                await WriteAsync(context, start, StatusCodes.Status404NotFound, []);
                return;
        }

        await WriteAdminStateAsync(context, start, error);
    }

    /// <summary>The admin faults' share of an /api request: the extra stall, then whether it answers 503.</summary>
    private async Task<bool> ApplyAdminFaultsAsync(CancellationToken cancellationToken)
    {
        if (!_options.Admin)
        {
            return false;
        }

        if (AdminStallActive && Volatile.Read(ref _faultStallMs) is > 0 and var ms)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), cancellationToken);
        }

        if (!AdminFailActive)
        {
            return false;
        }

        // Spread evenly like /api/fail: request n of the window fails when floor((n+1)·rate) > floor(n·rate).
        var rate = BitConverter.Int64BitsToDouble(Volatile.Read(ref _faultFailRateBits));
        var n = Interlocked.Increment(ref _faultFailCounter) - 1;
        return Math.Floor((n + 1) * rate) > Math.Floor(n * rate);
    }

    private static string? ParseStall(HttpContext context, out long ms, out TimeSpan duration)
    {
        duration = default;
        var text = context.Request.Query["ms"].ToString();
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ms) || ms < 0 || ms > MaxStallMs)
        {
            return $"ms: '{text}' is not an integer from 0 to {MaxStallMs}";
        }

        return ParseFor(context, out duration);
    }

    private static string? ParseFail(HttpContext context, out double rate, out TimeSpan duration)
    {
        duration = default;
        var text = context.Request.Query["rate"].ToString();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || !(rate >= 0 && rate <= 1))
        {
            return $"rate: '{text}' is not a number from 0 to 1";
        }

        return ParseFor(context, out duration);
    }

    private static string? ParseFor(HttpContext context, out TimeSpan duration)
    {
        var text = context.Request.Query["for"].ToString();
        return TryParseDuration(text, out duration) && duration > TimeSpan.Zero && duration <= MaxToggleDuration
            ? null
            : $"for: '{text}' is not a duration above 0 and at most {MaxToggleDuration.TotalMinutes:0}m (250ms, 5s, 2m or milliseconds)";
    }

    /// <summary>Parses <c>250ms</c>, <c>5s</c>, <c>1.5s</c>, <c>2m</c> or bare milliseconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, unitMs) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1_000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ => (text, 1.0),
        };

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value * unitMs))
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(value * unitMs);
        return true;
    }

    private static long ToTicks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);

    private Task WriteAdminStateAsync(HttpContext context, long start, string? error)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (error is not null)
            {
                json.WriteString("error", error);
            }

            json.WriteNumber("stallMs", AdminStallActive ? Volatile.Read(ref _faultStallMs) : 0);
            json.WriteNumber("stallRemainingMs", RemainingMs(Volatile.Read(ref _faultStallUntilTimestamp)));
            json.WriteNumber("failRate", AdminFailActive ? BitConverter.Int64BitsToDouble(Volatile.Read(ref _faultFailRateBits)) : 0);
            json.WriteNumber("failRemainingMs", RemainingMs(Volatile.Read(ref _faultFailUntilTimestamp)));
            json.WriteEndObject();
        }

        return WriteAsync(context, start, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, buffer.ToArray(), Json);
    }

    private static long RemainingMs(long until) =>
        IsActive(until) ? (long)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until).TotalMilliseconds) : 0;
}
