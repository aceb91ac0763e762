using System.Globalization;

namespace Yardstick.SampleTarget;

/// <summary>Command-line options of the sample target.</summary>
public sealed record SampleTargetOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Simulated cold initialization: the process sleeps this long before it listens.</summary>
    public int InitDelayMs { get; init; }

    /// <summary>Added to every /api request: the knob for regression demos and tests.</summary>
    public int ExtraLatencyMs { get; init; }

    /// <summary>Requests beyond this many in flight wait in line (like a per-instance concurrency limit); 0 = unlimited.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Overrides the generated instance id (normally new per process start).</summary>
    public string? InstanceId { get; init; }

    public static SampleTargetOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleTargetOptions();
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
                _ => throw new ArgumentException($"unknown option '{name}' (known: --urls, --init-delay-ms, --extra-latency-ms, --max-concurrency, --instance-id)"),
            };
        }

        return options;
    }
}
