namespace Yardstick.Cli.Remote;

/// <summary>Timeouts, retry and polling knobs of the remote client. The defaults suit a Functions app; tests shrink the delays.</summary>
internal sealed record RemoteHttpSettings
{
    /// <summary>Attempts per request, the first included, for answers and errors that are safe to retry.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff; it doubles per retry (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A server's <c>Retry-After</c> is honoured up to this long.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Per request (status, reports, start).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Added to the gate budget for <c>POST /api/gate</c>, which the server holds open up to its budget (≤ 200 s;
    /// Azure's front end drops requests idle for 230 s).
    /// </summary>
    public TimeSpan GateAnswerMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Polling interval when a 202 carries no <c>Retry-After</c>.</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Bounds on a server's <c>Retry-After</c> while polling (a 0 must not become a busy loop).</summary>
    public TimeSpan MinPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a non-interactive console gets a progress line (phase changes print at once).</summary>
    public TimeSpan PlainProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>When to try again: the server's <c>Retry-After</c>, else exponential backoff with jitter.</summary>
internal static class RetryTiming
{
    /// <summary><c>Retry-After</c> as a delay (seconds or HTTP-date), never negative; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// Delay before retry number <paramref name="retry"/> (1-based): base·2^(retry-1), capped, with "equal jitter"
    /// (half fixed, half random) so many clients retrying together spread out yet each still waits.
    /// </summary>
    public static TimeSpan Backoff(int retry, RemoteHttpSettings settings)
    {
        var exponential = settings.BaseBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 16));
        var capped = Math.Min(exponential, settings.MaxBackoff.TotalMilliseconds);
        // Jitter is not security-relevant; the shared generator is fine here.
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>The server's retry hint, capped; else the backoff.</summary>
    public static TimeSpan Delay(HttpResponseMessage response, int retry, RemoteHttpSettings settings) =>
        RetryAfter(response, settings.Time) is { } hint
            ? (hint > settings.MaxRetryAfter ? settings.MaxRetryAfter : hint)
            : Backoff(retry, settings);
}
