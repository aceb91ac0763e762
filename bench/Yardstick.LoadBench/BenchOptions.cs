using System.Globalization;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;

namespace Yardstick.LoadBench;

/// <summary>Command-line options shared by the bench modes (<c>--name value</c> pairs; durations like <c>10s</c> or plain seconds).</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        """
        usage: Yardstick.LoadBench <mode> [options]
          modes:
            transport   N connections, each looping ExchangeAsync as fast as it can (closed loop, no think time)
            engine      the full load generator (LoadGenerator + recording), closed or open model
            replay      the load generator replaying a generated trace (--arrivals at --rate, --offsets) through its prefetching feed
          options:
            --url <url>            target (required unless --workload), e.g. http://127.0.0.1:5080/api/hello
            --workload <file>      engine: send a workload file's requests (mix, data, checks) as a run's shard would;
                                   its load section is replaced by the bench's model, connections and durations
            --set <path=value>     engine --workload: override a workload field (as the CLI's --set), repeatable
            --http-version 1.1|2   engine --url: the request's HTTP version (2 needs --transport handler)
            --connections <n>      connections (default 50)
            --duration <d>         measured time after warm-up (default 10s)
            --warmup <d>           warm-up, not measured (default 5s)
            --transport lean|handler  (default lean)
            --insecure             skip certificate validation (loopback targets only)
            --allow-host <hosts>   non-loopback targets to allow (comma separated)
            --concurrency <n>      engine closed model: virtual users (default: --connections); more users than
                                   connections only makes sense with HTTP/2 (streams share a connection)
            --model closed|open    engine mode: closed (N virtual users = --connections) or open (default closed)
            --rate <n>             engine open model: arrivals per second (default 5000)
            --max-in-flight <n>    engine open model: in-flight cap (default 1000)
            --timer-slack <d>      engine open model: load.timerSlack, e.g. 0.5ms (default 0s; at most 10ms)
            --alloc-top <n>        engine: sample allocations (GCAllocationTick) and print the top n types to stderr
            --arrivals <n>         replay: arrivals of the generated trace (default 100000)
            --offsets poisson|uniform  replay: how the trace's offsets are spaced at --rate (default poisson, seeded)
            --data-rows <n>        replay: also write a dataset of n rows (id,user); every trace line gets a ${data.id}
                                   hole and user=REDACTED, filled from one row per arrival (sequential, wrap); default 0
        """;

    /// <summary>The target URL (empty with <see cref="Workload"/>: the workload names its target).</summary>
    public required string Url { get; init; }

    /// <summary>A workload file whose requests, data and checks the engine sends (null: one GET of <see cref="Url"/>).</summary>
    public string? Workload { get; init; }

    /// <summary><c>path=value</c> overrides applied to <see cref="Workload"/> when it is loaded.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>"1.1" or "2" for the <see cref="Url"/> request.</summary>
    public string HttpVersion { get; init; } = "1.1";

    public int Connections { get; init; } = 50;

    /// <summary>Closed model: virtual users; null means one per connection.</summary>
    public int? Concurrency { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TransportKind Transport { get; init; } = TransportKind.Lean;

    public bool Insecure { get; init; }

    public string? AllowHosts { get; init; }

    public bool OpenModel { get; init; }

    public double Rate { get; init; } = 5000;

    public int MaxInFlight { get; init; } = 1000;

    /// <summary>Open model: <c>load.timerSlack</c>.</summary>
    public TimeSpan TimerSlack { get; init; }

    /// <summary>Replay: arrivals of the generated trace.</summary>
    public int Arrivals { get; init; } = 100_000;

    /// <summary>Replay: Poisson (exponential gaps, seeded) or uniform offsets.</summary>
    public bool PoissonOffsets { get; init; } = true;

    /// <summary>Replay: rows of a generated dataset filling each line's holes (0: no dataset, paths sent as recorded).</summary>
    public int DataRows { get; init; }

    /// <summary>Top allocating types to print (0: no sampling, which itself costs a little).</summary>
    public int AllocTop { get; init; }

    /// <summary>Parses the options after the mode; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        string? url = null;
        var options = new BenchOptions { Url = "" };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {name} needs a value");

            switch (name)
            {
                case "--url":
                    url = Value();
                    break;
                case "--workload":
                    options = options with { Workload = Value() };
                    break;
                case "--set":
                    options = options with { Overrides = [.. options.Overrides, Value()] };
                    break;
                case "--http-version":
                    options = options with
                    {
                        HttpVersion = Value() switch
                        {
                            "1.1" => "1.1",
                            "2" or "2.0" => "2",
                            var other => throw new ArgumentException($"--http-version: '{other}' is not 1.1 or 2"),
                        },
                    };
                    break;
                case "--connections":
                    options = options with { Connections = PositiveInt(name, Value()) };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = PositiveInt(name, Value()) };
                    break;
                case "--duration":
                    options = options with { Duration = ParseDuration(name, Value()) };
                    break;
                case "--warmup":
                    options = options with { Warmup = ParseDuration(name, Value(), allowZero: true) };
                    break;
                case "--transport":
                    options = options with
                    {
                        Transport = Value() switch
                        {
                            "lean" => TransportKind.Lean,
                            "handler" => TransportKind.Handler,
                            var other => throw new ArgumentException($"--transport: '{other}' is not lean or handler"),
                        },
                    };
                    break;
                case "--insecure":
                    options = options with { Insecure = true };
                    break;
                case "--allow-host":
                    options = options with { AllowHosts = Value() };
                    break;
                case "--model":
                    options = options with
                    {
                        OpenModel = Value() switch
                        {
                            "open" => true,
                            "closed" => false,
                            var other => throw new ArgumentException($"--model: '{other}' is not closed or open"),
                        },
                    };
                    break;
                case "--rate":
                    options = options with { Rate = PositiveInt(name, Value()) };
                    break;
                case "--max-in-flight":
                    options = options with { MaxInFlight = PositiveInt(name, Value()) };
                    break;
                case "--timer-slack":
                    options = options with { TimerSlack = ParseDuration(name, Value(), allowZero: true) };
                    if (options.TimerSlack > LoadCaps.MaxTimerSlack)
                    {
                        throw new ArgumentException($"{name}: '{DurationText.Format(options.TimerSlack)}' is above the cap of {DurationText.Format(LoadCaps.MaxTimerSlack)}");
                    }

                    break;
                case "--arrivals":
                    options = options with { Arrivals = PositiveInt(name, Value()) };
                    break;
                case "--offsets":
                    options = options with
                    {
                        PoissonOffsets = Value() switch
                        {
                            "poisson" => true,
                            "uniform" => false,
                            var other => throw new ArgumentException($"--offsets: '{other}' is not poisson or uniform"),
                        },
                    };
                    break;
                case "--data-rows":
                    options = options with { DataRows = PositiveInt(name, Value()) };
                    break;
                case "--alloc-top":
                    options = options with { AllocTop = PositiveInt(name, Value()) };
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}'");
            }
        }

        if (options.Workload is not null)
        {
            if (url is not null)
            {
                throw new ArgumentException("--url and --workload exclude each other (set the workload's target with --set target.url=…)");
            }

            return options;
        }

        if (options.Overrides.Count > 0)
        {
            throw new ArgumentException("--set applies to --workload only");
        }

        return options with { Url = url ?? throw new ArgumentException("--url (or --workload) is required") };
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a positive integer");

    private static TimeSpan ParseDuration(string name, string text, bool allowZero = false)
    {
        TimeSpan? parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : DurationText.TryParse(text, out var duration) ? duration
            : null;
        return parsed is { } value && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero))
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a duration (10s, 500ms, 2m or seconds)");
    }
}
