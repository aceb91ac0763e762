using System.CommandLine;
using Yardstick.Core;

namespace Yardstick.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a workload field: --set load.rate=300/s (repeatable; validated like the file).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> Tag() => new("--tag")
    {
        Description = "Tag the run: --tag commit=abc123 (repeatable).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> AllowHost() => new("--allow-host")
    {
        Description = "Add a host to the target allow-list (loopback is always allowed; repeatable).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<bool> AlertsToLoopback() => new("--alerts-to-loopback")
    {
        Description = "Let the workload's alerts go to http or https on this machine's loopback (a local relay or receiver); other private addresses stay refused.",
    };

    public static Option<string?> Storage() => new("--storage")
    {
        Description = "Storage connection string or account URI (default: YARDSTICK_STORAGE, else an embedded Azurite).",
    };

    public static Option<string?> TaskHub() => new("--task-hub")
    {
        Description = "Durable task hub name (default: YARDSTICK_TASK_HUB, else 'yardstick'); runs and workers must agree.",
    };

    /// <summary>Validates a task hub name (Azure Storage backend: 3–45 letters and digits, starting with a letter).</summary>
    public static string? CheckTaskHub(string? name) => Orchestration.Hosting.TaskHubName.Check(name, "--task-hub");

    public static Option<int?> MaxActivities() => new("--max-activities")
    {
        Description = "Load shards this process runs at once (default: run, gate and calibrate every shard of a round, at least 64, and a round of more than 16 shards as one activity per 16 shards; worker 64); given, every shard is its own activity and other workers on the task hub take the rest.",
    };

    public static int? CheckMaxActivities(int? value) =>
        value is null or (>= 1 and <= 256) ? value : throw new InputException("--max-activities", "must be between 1 and 256.");

    public static Option<bool> Azure() => new("--azure")
    {
        Description = "Use Azure (DefaultAzureCredential: az login or AZURE_* variables) for the restart/appSetting cold-start strategies, metered cost and App Insights telemetry.",
    };

    public static Option<string?> MeteredDelay() => new("--metered-delay")
    {
        Description = "Wait this long after the load before reading Azure Monitor's billing metrics (default 5m; they land minutes late).",
    };

    /// <summary>Parses a duration option such as <c>30s</c> or <c>5m</c>, naming the option on error.</summary>
    public static TimeSpan? ParseDuration(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Core.Load.DurationText.TryParse(text, out var duration) && duration >= TimeSpan.Zero
            ? duration
            : throw new InputException(option, $"'{text}' is not a duration (for example 30s, 5m).");
    }

    public static Option<FileInfo?> Json() => new("--json")
    {
        Description = "Write the run's summary.json to this path.",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log the Durable engine's and Yardstick's information messages to stderr.",
    };

    /// <summary>Parses <c>key=value</c> pairs, naming the option on error.</summary>
    public static Dictionary<string, string> ParsePairs(IEnumerable<string>? pairs, string option)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InputException(option, $"'{pair}' is not key=value.");
            }

            result[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return result;
    }
}
