using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Yardstick.SampleTarget;

/// <summary>
/// The request handling of the sample target: a function-like app with
/// <c>/api/hello</c>, <c>/api/work?ms=N</c>, <c>/api/cpu?iterations=N</c>, <c>/api/fail?rate=R</c> and
/// <c>/api/stall?ms=N</c> (pauses every request for N ms, like a GC or host pause; with <c>--admin</c> only, else 404), and the JSON endpoints
/// <c>/api/items?count=N</c> and <c>/api/echo[/…]</c> (see <c>SampleApp.Json.cs</c>). Every response carries
/// <c>x-instance-id</c> and <c>Server-Timing: app;dur=…</c>. With <c>--admin</c>, <c>/admin/stall</c> and <c>/admin/fail</c>
/// toggle timed faults for fault runs (see <c>SampleApp.Admin.cs</c>).
/// </summary>
public sealed partial class SampleApp
{
    private static readonly byte[] HelloBody = "Hello from Yardstick's sample target"u8.ToArray();
    private static readonly byte[] OkBody = "ok"u8.ToArray();
    private static readonly byte[] FailBody = "simulated failure"u8.ToArray();

    private readonly SampleTargetOptions _options;
    private readonly SemaphoreSlim? _concurrency;
    private readonly Lock _recycleLock = new();
    private StringValues _instanceId;
    private long _lastRequestTimestamp;
    private Task _coldInit = Task.CompletedTask;
    private long _failCounter;
    private long _stalledUntilTimestamp;
    private long _received;

    public SampleApp(SampleTargetOptions options)
    {
        _options = options;
        _instanceId = new StringValues(options.InstanceId ?? NewInstanceId());
        _concurrency = options.MaxConcurrency > 0 ? new SemaphoreSlim(options.MaxConcurrency) : null;
    }

    /// <summary>The instance serving now: new per process start, and again after each idle recycle.</summary>
    public string InstanceId => _instanceId.ToString();

    /// <summary>Times this process recycled its instance after an idle period (<see cref="SampleTargetOptions.IdleRecycleMs"/>).</summary>
    public int Recycles { get; private set; }

    private static string NewInstanceId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Scale to zero, simulated in one process: a request arriving after more than <c>--idle-recycle-ms</c> without any
    /// request finds the instance gone, so it gets a new instance id and waits out <c>--init-delay-ms</c> (the cold
    /// initialization) — as do requests that arrive while that initialization runs. The idle clock restarts at every request.
    /// </summary>
    private Task RecycleIfIdle()
    {
        if (_options.IdleRecycleMs <= 0)
        {
            return Task.CompletedTask;
        }

        var now = Stopwatch.GetTimestamp();
        lock (_recycleLock)
        {
            var last = _lastRequestTimestamp;
            _lastRequestTimestamp = now;
            if (last != 0 && Stopwatch.GetElapsedTime(last, now).TotalMilliseconds > _options.IdleRecycleMs)
            {
                _instanceId = new StringValues(NewInstanceId());
                Recycles++;
                _coldInit = _options.InitDelayMs > 0 ? Task.Delay(_options.InitDelayMs) : Task.CompletedTask;
            }

            return _coldInit;
        }
    }

    /// <summary>Requests this instance has received (tests wait on it to act in the middle of a load).</summary>
    public long RequestsReceived => Interlocked.Read(ref _received);

    public async Task HandleAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _received);
        var coldInit = RecycleIfIdle();
        if (!coldInit.IsCompleted)
        {
            await coldInit.WaitAsync(context.RequestAborted);
        }

        var response = context.Response;
        response.Headers["x-instance-id"] = _instanceId;

        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/admin/", StringComparison.Ordinal))
        {
            await HandleAdminAsync(context, path, start);
            return;
        }

        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            await WriteAsync(context, start, path == "/" ? StatusCodes.Status200OK : StatusCodes.Status404NotFound, path == "/" ? OkBody : []);
            return;
        }

        if (_concurrency is not null)
        {
            await _concurrency.WaitAsync(context.RequestAborted);
        }

        try
        {
            await WaitOutStallAsync(context.RequestAborted);
            if (_options.ExtraLatencyMs > 0)
            {
                await Task.Delay(_options.ExtraLatencyMs, context.RequestAborted);
            }

            if (await ApplyAdminFaultsAsync(context.RequestAborted))
            {
                await WriteAsync(context, start, StatusCodes.Status503ServiceUnavailable, FailBody);
                return;
            }

            switch (path)
            {
                case "/api/hello":
                    await WriteAsync(context, start, StatusCodes.Status200OK, HelloBody);
                    break;
                case "/api/work":
                    var ms = QueryInt(context, "ms", 10, 0, 600_000);
                    if (ms > 0)
                    {
                        await Task.Delay(ms, context.RequestAborted);
                    }

                    await WriteAsync(context, start, StatusCodes.Status200OK, OkBody);
                    break;
                case "/api/cpu":
                    var iterations = QueryInt(context, "iterations", 1000, 0, 100_000_000);
                    var digest = Burn(iterations);
                    await WriteAsync(context, start, StatusCodes.Status200OK, Encoding.ASCII.GetBytes(digest));
                    break;
                case "/api/fail":
                    var fail = ShouldFail(QueryDouble(context, "rate", 0.1));
                    await WriteAsync(context, start, fail ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK, fail ? FailBody : OkBody);
                    break;
                case "/api/stall" when !_options.Admin:
                    // A pause of every request is a fault toggle: like /admin/…, only on a target started with --admin.
                    await WriteAsync(context, start, StatusCodes.Status404NotFound, []);
                    break;
                case "/api/stall":
                    var stallMs = QueryInt(context, "ms", 2000, 0, 60_000);
                    Interlocked.Exchange(ref _stalledUntilTimestamp, Stopwatch.GetTimestamp() + (long)(stallMs * (Stopwatch.Frequency / 1000.0)));
                    await WriteAsync(context, start, StatusCodes.Status200OK, OkBody);
                    break;
                case "/api/items":
                    await WriteItemsAsync(context, start);
                    break;
                case "/api/echo":
                case var echo when echo.StartsWith("/api/echo/", StringComparison.Ordinal):
                    await WriteEchoAsync(context, start);
                    break;
                default:
                    await WriteAsync(context, start, StatusCodes.Status404NotFound, []);
                    break;
            }
        }
        finally
        {
            _concurrency?.Release();
        }
    }

    /// <summary>
    /// Fails exactly <c>rate</c> of the requests, spread evenly: request n fails when floor((n+1)·rate) &gt; floor(n·rate).
    /// Deterministic, so tests can check the measured error rate tightly.
    /// </summary>
    private bool ShouldFail(double rate)
    {
        var n = Interlocked.Increment(ref _failCounter) - 1;
        return Math.Floor((n + 1) * rate) > Math.Floor(n * rate);
    }

    private async Task WaitOutStallAsync(CancellationToken cancellationToken)
    {
        var until = Volatile.Read(ref _stalledUntilTimestamp);
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
        if (until != 0 && remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, cancellationToken);
        }
    }

    private static string Burn(int iterations)
    {
        Span<byte> block = stackalloc byte[32];
        for (var i = 0; i < iterations; i++)
        {
            SHA256.HashData(block, block);
        }

        return Convert.ToHexString(block[..8]);
    }

    private static Task WriteAsync(HttpContext context, long start, int status, byte[] body, string contentType = "text/plain")
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        var elapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        response.Headers["Server-Timing"] = "app;dur=" + elapsedMs.ToString("0.###", CultureInfo.InvariantCulture);
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }

    private static int QueryInt(HttpContext context, string name, int fallback, int min, int max)
    {
        var text = context.Request.Query[name].ToString();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? Math.Clamp(v, min, max) : fallback;
    }

    private static double QueryDouble(HttpContext context, string name, double fallback)
    {
        var text = context.Request.Query[name].ToString();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Math.Clamp(v, 0, 1) : fallback;
    }
}
