using System.Globalization;

namespace Yardstick.SampleTarget;

/// <summary>Command-line options of the sample target.</summary>
public sealed record SampleTargetOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Simulated cold initialization: the process sleeps this long before it listens.</summary>
    public int InitDelayMs { get; init; }

    /// <summary>
    /// Environment variable that sets <see cref="ExtraLatencyMs"/> when <c>--extra-latency-ms</c> is not given: the knob a
    /// settings sweep turns (<c>sweep.parameter: appSetting:YARDSTICK_EXTRA_LATENCY_MS</c>), as an app setting would in Azure.
    /// </summary>
    public const string ExtraLatencyVariable = "YARDSTICK_EXTRA_LATENCY_MS";

    /// <summary>
    /// Added to every /api request: the knob for regression demos, tests and sweeps. From <c>--extra-latency-ms</c>, else
    /// from <see cref="ExtraLatencyVariable"/>, else 0.
    /// </summary>
    public int ExtraLatencyMs { get; init; }

    /// <summary>
    /// Environment variable that sets <see cref="MaxConcurrency"/> when <c>--max-concurrency</c> is not given: the second
    /// knob a local settings sweep or grid turns (<c>appSetting:YARDSTICK_MAX_CONCURRENCY</c>), like Flex Consumption's
    /// per-instance concurrency in Azure.
    /// </summary>
    public const string MaxConcurrencyVariable = "YARDSTICK_MAX_CONCURRENCY";

    /// <summary>
    /// Requests beyond this many in flight wait in line (like a per-instance concurrency limit); 0 = unlimited. From
    /// <c>--max-concurrency</c>, else from <see cref="MaxConcurrencyVariable"/>, else 0.
    /// </summary>
    public int MaxConcurrency { get; init; }

    /// <summary>
    /// Simulated scale to zero: after this long (ms) without a request the instance is recycled, and the next request
    /// gets a new <c>x-instance-id</c> and pays <see cref="InitDelayMs"/> again (0 = never; the cold-start eviction
    /// curve's local stand-in for a platform that reclaims idle instances).
    /// </summary>
    public int IdleRecycleMs { get; init; }

    /// <summary>
    /// Environment variable that turns <see cref="Admin"/> on when set to <c>1</c> or <c>true</c> (a target started by a
    /// settings sweep or deployed with app settings).
    /// </summary>
    public const string AdminVariable = "YARDSTICK_SAMPLE_ADMIN";

    /// <summary>
    /// Serve the fault toggles <c>POST /admin/stall</c> and <c>/admin/fail</c> (fault runs). Off by default, so a sample
    /// target deployed anywhere answers 404 there and cannot be stalled remotely; from <c>--admin</c> or
    /// <see cref="AdminVariable"/>.
    /// </summary>
    public bool Admin { get; init; }

    /// <summary>
    /// Serve HTTP/2 only, on every endpoint: cleartext endpoints then speak h2c with prior knowledge (what <c>h2load</c>
    /// and an HTTP/2-only client send to an http URL), TLS endpoints negotiate h2 by ALPN. Off by default: endpoints
    /// serve HTTP/1.1 and HTTP/2 (h2 through TLS only). From <c>--http2-only</c>.
    /// </summary>
    public bool Http2Only { get; init; }

    /// <summary>
    /// Concurrent HTTP/2 streams a connection may open (SETTINGS_MAX_CONCURRENT_STREAMS); 0 keeps Kestrel's default
    /// (100). With a limit of m, a client that runs c × m requests at once over a pool that opens connections as streams
    /// fill (SocketsHttpHandler's EnableMultipleHttp2Connections) ends up on c connections, as <c>h2load -c c -m m</c>
    /// does. From <c>--http2-max-streams</c>.
    /// </summary>
    public int Http2MaxStreams { get; init; }

    /// <summary>Overrides the generated instance id (normally new per process start).</summary>
    public string? InstanceId { get; init; }

    /// <summary>Parses the command line alone (the environment is not read).</summary>
    public static SampleTargetOptions Parse(IReadOnlyList<string> args) => Parse(args, _ => null);

    /// <summary>
    /// Parses the command line, taking defaults from <paramref name="environment"/> (<see cref="ExtraLatencyVariable"/>,
    /// <see cref="MaxConcurrencyVariable"/>); an option on the command line wins over the environment.
    /// </summary>
    public static SampleTargetOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new SampleTargetOptions
        {
            ExtraLatencyMs = FromEnvironment(environment, ExtraLatencyVariable),
            MaxConcurrency = FromEnvironment(environment, MaxConcurrencyVariable),
            Admin = AdminFromEnvironment(environment),
        };

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"option {name} needs a value");
                }

                return args[++i];
            }

            int Int()
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
                    ? v
                    : throw new ArgumentException($"option {name}: '{text}' is not a non-negative integer");
            }

            options = name switch
            {
                "--urls" => options with { Urls = Value() },
                "--init-delay-ms" => options with { InitDelayMs = Int() },
                "--extra-latency-ms" => options with { ExtraLatencyMs = Int() },
                "--max-concurrency" => options with { MaxConcurrency = Int() },
                "--instance-id" => options with { InstanceId = Value() },
                "--idle-recycle-ms" => options with { IdleRecycleMs = Int() },
                "--admin" => options with { Admin = true },
                "--http2-only" => options with { Http2Only = true },
                "--http2-max-streams" => options with { Http2MaxStreams = Int() },
                _ => throw new ArgumentException($"unknown option '{name}' (known: --urls, --init-delay-ms, --extra-latency-ms, --max-concurrency, --instance-id, --idle-recycle-ms, --admin, --http2-only, --http2-max-streams)"),
            };
        }

        return options;
    }

    private static int FromEnvironment(Func<string, string?> environment, string variable) => environment(variable) is { Length: > 0 } text
        ? int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"environment variable {variable}: '{text}' is not a non-negative integer")
        : 0;

    private static bool AdminFromEnvironment(Func<string, string?> environment) => environment(AdminVariable)?.Trim() switch
    {
        null or "" or "0" => false,
        "1" => true,
        var text when bool.TryParse(text, out var on) => on,
        var text => throw new ArgumentException($"environment variable {AdminVariable}: '{text}' is not 1, 0, true or false"),
    };
}
