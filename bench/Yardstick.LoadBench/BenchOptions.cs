using System.Globalization;
using Yardstick.Core.Load;

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
            --url <url>            target (required), e.g. http://127.0.0.1:5080/api/hello
            --connections <n>      connections (default 50)
            --duration <d>         measured time after warm-up (default 10s)
            --warmup <d>           warm-up, not measured (default 5s)
            --transport lean|handler  (default lean)
            --insecure             skip certificate validation (loopback targets only)
            --allow-host <hosts>   non-loopback targets to allow (comma separated)
            --model closed|open    engine mode: closed (N virtual users = --connections) or open (default closed)
            --rate <n>             engine open model: arrivals per second (default 5000)
            --max-in-flight <n>    engine open model: in-flight cap (default 1000)
            --alloc-top <n>        engine: sample allocations (GCAllocationTick) and print the top n types to stderr
            --arrivals <n>         replay: arrivals of the generated trace (default 100000)
            --offsets poisson|uniform  replay: how the trace's offsets are spaced at --rate (default poisson, seeded)
        """;

    public required string Url { get; init; }

    public int Connections { get; init; } = 50;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TransportKind Transport { get; init; } = TransportKind.Lean;

    public bool Insecure { get; init; }

    public string? AllowHosts { get; init; }

    public bool OpenModel { get; init; }

    public double Rate { get; init; } = 5000;

    public int MaxInFlight { get; init; } = 1000;

    /// <summary>Replay: arrivals of the generated trace.</summary>
    public int Arrivals { get; init; } = 100_000;

    /// <summary>Replay: Poisson (exponential gaps, seeded) or uniform offsets.</summary>
    public bool PoissonOffsets { get; init; } = true;

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
                case "--connections":
                    options = options with { Connections = PositiveInt(name, Value()) };
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
                case "--alloc-top":
                    options = options with { AllocTop = PositiveInt(name, Value()) };
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}'");
            }
        }

        return options with { Url = url ?? throw new ArgumentException("--url is required") };
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
