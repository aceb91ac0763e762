using System.Diagnostics;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;

namespace Yardstick.Core.ColdStart;

/// <summary>How one probe sends its requests.</summary>
public sealed record ProbeOptions
{
    /// <summary>How long the probe may wait for the first successful response (from the start of the timed section).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Warm requests after the first success.</summary>
    public int WarmRequests { get; init; } = 3;

    /// <summary>Pause after a refused connection (the target is not listening yet); short, it bounds the timing resolution.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Pause after an error response (a platform answering 5xx while it starts the app).</summary>
    public TimeSpan ErrorRetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// Sends one cold-start probe: requests until the first successful response (each on a fresh connection, so the first
/// success includes its connect and TLS), then the warm requests (also each on a fresh connection, so cold and warm
/// figures compare like with like). Never throws for network failures: they end in <see cref="ColdStartProbe.Failure"/>.
/// </summary>
public static class ColdStartProber
{
    /// <param name="request">The resolved request (secrets substituted).</param>
    /// <param name="transport">Transport options (policy, timeouts).</param>
    /// <param name="options">Probe timeout, warm requests, retry pacing.</param>
    /// <param name="index">Probe number.</param>
    /// <param name="forcedAt">Wall-clock time of the forcing, stored with the probe.</param>
    /// <param name="timedFrom">Stopwatch timestamp the time to first success is measured from (process start, or now).</param>
    /// <param name="abortReason">Checked before each attempt: a non-null reason (the process exited) ends the probe.</param>
    /// <param name="time">Wall clock and delays.</param>
    /// <param name="cancellationToken">Aborts the probe.</param>
    public static async Task<ColdStartProbe> ProbeAsync(
        RequestTemplate request,
        TransportOptions transport,
        ProbeOptions options,
        int index,
        DateTimeOffset forcedAt,
        long timedFrom,
        Func<string?>? abortReason,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var transportOptions = transport with { MaxConnections = 1, RequestTimeout = Min(transport.RequestTimeout, options.Timeout) };
        await using var client = HttpTransportFactory.Create(request, transportOptions);
        var attempts = 0;
        string? last = null;
        ProbeExchange? first = null;
        double? timeToFirstSuccess = null;
        while (first is null)
        {
            if (abortReason?.Invoke() is { } reason)
            {
                return Failed(index, forcedAt, attempts, reason);
            }

            var at = time.GetUtcNow();
            var result = await ExchangeOnceAsync(client, cancellationToken);
            attempts++;
            if (result.IsSuccess)
            {
                first = ProbeExchange.From(result, at);
                timeToFirstSuccess = Stopwatch.GetElapsedTime(timedFrom, result.EndTimestamp).TotalMilliseconds;
                break;
            }

            last = Describe(result);
            if (Stopwatch.GetElapsedTime(timedFrom) >= options.Timeout)
            {
                return Failed(index, forcedAt, attempts, $"no successful response from {Redaction.RedactUrl(request.Url)} within {DurationText.Format(options.Timeout)} ({attempts} attempts; last: {last})");
            }

            var pause = result.Outcome == ExchangeOutcome.Response ? options.ErrorRetryInterval : options.RetryInterval;
            await Task.Delay(pause, time, cancellationToken);
        }

        var warm = new List<ProbeExchange>(options.WarmRequests);
        for (var i = 0; i < options.WarmRequests; i++)
        {
            var at = time.GetUtcNow();
            var result = await ExchangeOnceAsync(client, cancellationToken);
            if (result.Outcome == ExchangeOutcome.Response)
            {
                warm.Add(ProbeExchange.From(result, at));
            }
        }

        return new ColdStartProbe
        {
            Index = index,
            ForcedAt = forcedAt,
            TimeToFirstSuccessMs = timeToFirstSuccess,
            Attempts = attempts,
            First = first,
            Warm = warm,
        };
    }

    private static async Task<ExchangeResult> ExchangeOnceAsync(IHttpTransport client, CancellationToken cancellationToken)
    {
        var connection = client.CreateConnection();
        await using (connection)
        {
            return await connection.ExchangeAsync(cancellationToken);
        }
    }

    private static ColdStartProbe Failed(int index, DateTimeOffset forcedAt, int attempts, string reason) =>
        new() { Index = index, ForcedAt = forcedAt, Attempts = attempts, Failure = reason };

    private static string Describe(in ExchangeResult result) => result.Outcome switch
    {
        ExchangeOutcome.Response => $"HTTP {result.StatusCode}",
        var outcome => result.Error is { } error ? $"{outcome}: {error}" : outcome.ToString(),
    };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
