using System.Globalization;

namespace Yardstick.Core.Ports;

/// <summary>
/// One sweep value for a deployed target, parsed and checked (AZURE-FACTS §5 ranges) before anything is changed.
/// Parameters: <c>instanceMemoryMB</c> (512 | 2048 | 4096), <c>maximumInstanceCount</c> (40–1000),
/// <c>perInstanceConcurrency</c> (≥ 1), <c>alwaysReady</c> (<c>N</c> for the http group, or <c>name=N,name=N</c>)
/// and <c>appSetting:NAME</c> (any value).
/// </summary>
public abstract record TargetSetting
{
    public const string InstanceMemoryParameter = "instanceMemoryMB";
    public const string MaximumInstanceCountParameter = "maximumInstanceCount";
    public const string PerInstanceConcurrencyParameter = "perInstanceConcurrency";
    public const string AlwaysReadyParameter = "alwaysReady";
    public const string AppSettingPrefix = "appSetting:";

    private static readonly int[] MemorySizes = [512, 2048, 4096];

    /// <exception cref="InputException">Unknown parameter (<c>sweep.parameter</c>) or bad value (<c>sweep.values</c>).</exception>
    public static TargetSetting Parse(string parameter, string value)
    {
        switch (parameter)
        {
            case InstanceMemoryParameter:
                var memory = Int(value);
                return MemorySizes.Contains(memory)
                    ? new InstanceMemorySetting(memory)
                    : throw Bad(value, "instance memory must be 512, 2048 or 4096 (MB)");
            case MaximumInstanceCountParameter:
                var count = Int(value);
                return count is >= 40 and <= 1000
                    ? new MaximumInstanceCountSetting(count)
                    : throw Bad(value, "maximumInstanceCount must be between 40 and 1000");
            case PerInstanceConcurrencyParameter:
                var concurrency = Int(value);
                return concurrency >= 1
                    ? new PerInstanceConcurrencySetting(concurrency)
                    : throw Bad(value, "perInstanceConcurrency must be at least 1");
            case AlwaysReadyParameter:
                return new AlwaysReadyTargetSetting(ParseAlwaysReady(value));
            default:
                if (parameter.StartsWith(AppSettingPrefix, StringComparison.Ordinal) && parameter.Length > AppSettingPrefix.Length)
                {
                    var name = parameter[AppSettingPrefix.Length..];
                    if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
                    {
                        throw new InputException("sweep.parameter", $"'{name}' is not a valid app setting name (letters, digits, _ - . :)");
                    }

                    return new AppSettingTargetSetting(name, value);
                }

                throw new InputException(
                    "sweep.parameter",
                    $"unknown sweep parameter '{parameter}' (known: {InstanceMemoryParameter}, {MaximumInstanceCountParameter}, {PerInstanceConcurrencyParameter}, {AlwaysReadyParameter}, {AppSettingPrefix}NAME)");
        }
    }

    private static List<AlwaysReadySetting> ParseAlwaysReady(string value)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var httpCount))
        {
            return httpCount >= 0 ? [new AlwaysReadySetting("http", httpCount)] : throw Bad(value, "an always-ready count must be ≥ 0");
        }

        var groups = new List<AlwaysReadySetting>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(part[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                throw Bad(value, "alwaysReady takes N (http group) or name=N,name=N with N ≥ 0 (groups: http, durable, blob, function:<Name>)");
            }

            groups.Add(new AlwaysReadySetting(part[..eq].Trim(), n));
        }

        return groups.Count > 0 ? groups : throw Bad(value, "alwaysReady needs at least one group");
    }

    private static int Int(string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(value, "must be an integer");

    private static InputException Bad(string value, string message) => new("sweep.values", $"'{value}': {message}");
}

public sealed record InstanceMemorySetting(int MemoryMB) : TargetSetting;

public sealed record MaximumInstanceCountSetting(int Count) : TargetSetting;

public sealed record PerInstanceConcurrencySetting(int Concurrency) : TargetSetting;

/// <summary>Sets the listed groups; other groups stay as they are; a count of 0 removes the group.</summary>
public sealed record AlwaysReadyTargetSetting(IReadOnlyList<AlwaysReadySetting> Groups) : TargetSetting;

public sealed record AppSettingTargetSetting(string Name, string Value) : TargetSetting;
