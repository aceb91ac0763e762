using System.Globalization;
using System.Security.Cryptography;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Environments;

/// <summary>
/// The <c>environment</c> section of <c>summary.json</c>: one entry per distinct generator environment with the
/// shards that ran there, and what is known of the target. Absent in summaries written before it existed.
/// </summary>
public sealed record RunEnvironment
{
    public IReadOnlyList<GeneratorEnvironmentEntry> Generators { get; init; } = [];

    /// <summary>The target as captured when the run was planned (what the run measured).</summary>
    public TargetEnvironment? Target { get; init; }

    /// <summary>
    /// What differed in the target between the start and the end of the run (<c>target.maximumInstances 100 → 40</c>):
    /// someone changed it while the run measured, so the run is <c>degraded</c>. Empty when nothing did.
    /// </summary>
    public IReadOnlyList<string> TargetChanges { get; init; } = [];

    /// <summary>
    /// 16 hex digits of the SHA-256 of the distinct generator environments (canonical JSON, sorted), for the Runs row:
    /// equal for runs generated in equal environments whatever their shards; empty without generators.
    /// </summary>
    public string Fingerprint()
    {
        if (Generators.Count == 0)
        {
            return "";
        }

        var canonical = string.Join('\n', Generators.Select(g => YardstickJson.Serialize(g.Environment)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    /// <summary>One line for the CLI: the single generator's digest, or how many environments and the first.</summary>
    public string Digest()
    {
        var generators = Generators.Count switch
        {
            0 => "generator not recorded",
            1 => Generators[0].Environment.Digest(),
            _ => $"{Generators.Count} generator environments (first: {Generators[0].Environment.Digest()})",
        };
        return Target?.Digest() is { Length: > 0 } target ? $"{generators}; target {target}" : generators;
    }
}

/// <summary>A distinct generator environment and the shards (keys) that generated load in it.</summary>
public sealed record GeneratorEnvironmentEntry
{
    public required GeneratorEnvironment Environment { get; init; }

    public IReadOnlyList<string> Shards { get; init; } = [];
}

/// <summary>
/// The target as far as the run knows it: its kind, for a local process the command, arguments as written and a
/// SHA-256 of the executable (its version, without reading anything it prints), for an Azure target the site name and
/// the plan, region, instance memory and always-ready count the workload's <c>cost</c> declares.
/// </summary>
public sealed record TargetEnvironment
{
    /// <summary><c>url</c>, <c>process</c> or <c>azure</c>.</summary>
    public required string Kind { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>First 16 hex digits of the SHA-256 of the executable when the command names a file; null otherwise.</summary>
    public string? ExecutableSha256 { get; init; }

    /// <summary>The function app's name (last segment of the ARM id).</summary>
    public string? Site { get; init; }

    public string? Plan { get; init; }

    public string? Region { get; init; }

    public int? InstanceMemoryMB { get; init; }

    public int? AlwaysReadyInstances { get; init; }

    /// <summary>Azure (from ARM at the start of the run): the app's maximum instance count; null when not read.</summary>
    public int? MaximumInstances { get; init; }

    /// <summary>Azure (from ARM): HTTP per-instance concurrency; null when not read or unset.</summary>
    public int? PerInstanceConcurrency { get; init; }

    /// <summary>
    /// Azure (from ARM): the app settings' names and a hash of their values (<see cref="AppSettingsFingerprint"/>); null
    /// when not read (no Azure access, or the identity may not list them).
    /// </summary>
    public AppSettingsFingerprint? AppSettings { get; init; }

    /// <summary>Azure: where memory and always-ready came from, <c>arm</c> (read at the start of the run) or <c>workload</c> (its <c>cost:</c> block).</summary>
    public string? Source { get; init; }

    public IReadOnlyList<(string Field, string? Value)> ComparableFields() =>
    [
        ("target.kind", Kind),
        ("target.command", Command),
        ("target.args", Args.Count == 0 ? null : string.Join(' ', Args)),
        ("target.executableSha256", ExecutableSha256),
        ("target.site", Site),
        ("target.plan", Plan),
        ("target.region", Region),
        ("target.instanceMemoryMB", InstanceMemoryMB?.ToString(CultureInfo.InvariantCulture)),
        ("target.alwaysReadyInstances", AlwaysReadyInstances?.ToString(CultureInfo.InvariantCulture)),
        ("target.maximumInstances", MaximumInstances?.ToString(CultureInfo.InvariantCulture)),
        ("target.perInstanceConcurrency", PerInstanceConcurrency?.ToString(CultureInfo.InvariantCulture)),
        (AppSettingsField, AppSettings?.Sha256),
    ];

    /// <summary>The comparable field of <see cref="AppSettings"/>: the hash of names and values.</summary>
    public const string AppSettingsField = "target.appSettingsSha256";

    public string Digest() => Kind switch
    {
        "process" => $"process {Command}" + (ExecutableSha256 is { } h ? $" (sha256 {h})" : ""),
        "azure" => string.Join(' ', new[] { "azure", Site, Plan, Region, InstanceMemoryMB is { } mb ? $"{mb} MB" : null }.Where(p => !string.IsNullOrEmpty(p))),
        _ => Kind,
    };
}

/// <summary>Builds the section and compares two runs' sections.</summary>
public static class RunEnvironments
{
    /// <summary>
    /// Groups shards by their generator environment (equal facts → one entry), in order of first appearance; shards
    /// without a recorded environment (results from before capture) are left out.
    /// </summary>
    public static IReadOnlyList<GeneratorEnvironmentEntry> Merge(IEnumerable<(string ShardKey, GeneratorEnvironment? Environment)> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var entries = new List<(GeneratorEnvironment Environment, List<string> Shards)>();
        foreach (var (key, environment) in shards)
        {
            if (environment is null)
            {
                continue;
            }

            var index = entries.FindIndex(e => e.Environment == environment);
            if (index < 0)
            {
                entries.Add((environment, [key]));
            }
            else
            {
                entries[index].Shards.Add(key);
            }
        }

        return entries.Select(e => new GeneratorEnvironmentEntry { Environment = e.Environment, Shards = e.Shards }).ToList();
    }

    /// <summary>What the workload says about its target; <paramref name="workloadDirectory"/> resolves a relative command.</summary>
    /// <param name="workload">The run's workload.</param>
    /// <param name="workloadDirectory">Folder a relative command resolves against.</param>
    /// <param name="armScale">An Azure target's scale settings read from ARM at the start of the run; they win over the
    /// workload's <c>cost:</c> figures (null: not read).</param>
    /// <param name="appSettings">An Azure target's app settings fingerprint read from ARM (null: not read).</param>
    public static TargetEnvironment Target(Workload workload, string? workloadDirectory, Ports.FlexScaleSettings? armScale = null, AppSettingsFingerprint? appSettings = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Target.Process is { } process)
        {
            return new TargetEnvironment
            {
                Kind = "process",
                Command = process.Command,
                Args = process.Args,
                ExecutableSha256 = HashExecutable(process.Command, process.WorkingDirectory, workloadDirectory),
            };
        }

        if (workload.Target.Azure is { } azure)
        {
            var cost = workload.Cost;
            return new TargetEnvironment
            {
                Kind = "azure",
                Site = azure.ResourceId.TrimEnd('/').Split('/')[^1],
                Plan = cost?.Plan.ToString(),
                Region = cost?.Region,
                InstanceMemoryMB = armScale?.InstanceMemoryMB ?? cost?.InstanceMemoryMB,
                AlwaysReadyInstances = armScale is not null ? armScale.AlwaysReady.Where(a => a.Name == "http").Sum(a => a.InstanceCount) : cost?.AlwaysReadyInstances,
                MaximumInstances = armScale?.MaximumInstanceCount,
                PerInstanceConcurrency = armScale?.HttpPerInstanceConcurrency,
                AppSettings = appSettings,
                Source = armScale is not null ? "arm" : cost is not null ? "workload" : null,
            };
        }

        return new TargetEnvironment { Kind = "url" };
    }

    /// <summary>Fields that only ARM reports (compared only when both captures read ARM).</summary>
    private static readonly HashSet<string> ArmFields = ["target.instanceMemoryMB", "target.alwaysReadyInstances", "target.maximumInstances", "target.perInstanceConcurrency"];

    /// <summary>The target field a sweep parameter changes on purpose (not a change by someone else).</summary>
    public static string? FieldOfSweepParameter(string parameter) => parameter switch
    {
        "instanceMemoryMB" => "target.instanceMemoryMB",
        "perInstanceConcurrency" => "target.perInstanceConcurrency",
        "alwaysReady" => "target.alwaysReadyInstances",
        "maximumInstanceCount" => "target.maximumInstances",
        _ => null,
    };

    /// <summary>
    /// How the target changed between <paramref name="start"/> and <paramref name="end"/> of a run, as
    /// <c>target.maximumInstances 100 → 40</c>. Fields in <paramref name="varied"/> (what the run's sweep changes on
    /// purpose) are skipped, and so is a field unknown at either end; the ARM-read fields are compared only when both
    /// captures came from ARM (a failed read at the end is not a change).
    /// </summary>
    public static IReadOnlyList<string> Changes(TargetEnvironment start, TargetEnvironment end, IReadOnlySet<string>? varied = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var bothFromArm = start.Source == "arm" && end.Source == "arm";
        var endFields = end.ComparableFields().ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var (field, before) in start.ComparableFields())
        {
            var after = endFields.GetValueOrDefault(field);
            if (before is null || after is null || string.Equals(before, after, StringComparison.Ordinal)
                || varied?.Contains(field) == true || (ArmFields.Contains(field) && !bothFromArm))
            {
                continue;
            }

            changes.Add(field == TargetEnvironment.AppSettingsField
                ? $"target.appSettings {before} → {after} ({end.AppSettings!.DescribeChangeFrom(start.AppSettings!)})"
                : $"{field} {before} → {after}");
        }

        return changes;
    }

    /// <summary>
    /// The fields in which <paramref name="candidate"/> and <paramref name="baseline"/> differ, as
    /// <c>logicalCores 2 vs 4</c> (candidate first; a field with several generator environments lists their values
    /// joined with <c>/</c>). Empty when they agree or when either side has no environment recorded.
    /// </summary>
    public static IReadOnlyList<string> Differences(RunEnvironment? candidate, RunEnvironment? baseline)
    {
        if (candidate is null || baseline is null || candidate.Generators.Count == 0 || baseline.Generators.Count == 0)
        {
            return [];
        }

        var differences = new List<string>();
        var fields = candidate.Generators[0].Environment.ComparableFields().Select(f => f.Field).ToList();
        foreach (var field in fields)
        {
            var c = Values(candidate.Generators.Select(g => g.Environment.ComparableFields()), field);
            var b = Values(baseline.Generators.Select(g => g.Environment.ComparableFields()), field);
            if (c != b)
            {
                differences.Add($"{field} {c} vs {b}");
            }
        }

        if (candidate.Target is { } ct && baseline.Target is { } bt)
        {
            foreach (var ((field, cv), (_, bv)) in ct.ComparableFields().Zip(bt.ComparableFields()))
            {
                // App settings are compared only where both runs read them: runs from before they were captured, or
                // without Azure access, would otherwise all differ.
                if (field == TargetEnvironment.AppSettingsField && (cv is null || bv is null))
                {
                    continue;
                }

                if (!string.Equals(cv, bv, StringComparison.Ordinal))
                {
                    differences.Add($"{field} {cv ?? "unknown"} vs {bv ?? "unknown"}");
                }
            }
        }

        return differences;
    }

    private static string Values(IEnumerable<IReadOnlyList<(string Field, string? Value)>> environments, string field) =>
        string.Join('/', environments.Select(f => f.First(x => x.Field == field).Value ?? "unknown").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string? HashExecutable(string command, string? workingDirectory, string? workloadDirectory)
    {
        try
        {
            var candidates = new List<string>();
            if (Path.IsPathRooted(command))
            {
                candidates.Add(command);
            }
            else if (command.Contains('/', StringComparison.Ordinal) || command.Contains('\\', StringComparison.Ordinal))
            {
                var baseDirectory = workloadDirectory ?? Directory.GetCurrentDirectory();
                candidates.Add(Path.Combine(baseDirectory, workingDirectory ?? "", command));
                candidates.Add(Path.Combine(baseDirectory, command));
            }
            else
            {
                // A bare name is found on PATH, as the process start finds it.
                candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .SelectMany(d => OperatingSystem.IsWindows() ? new[] { Path.Combine(d, command), Path.Combine(d, command + ".exe") } : new[] { Path.Combine(d, command) }));
            }

            var file = candidates.FirstOrDefault(File.Exists);
            if (file is null)
            {
                return null;
            }

            using var stream = File.OpenRead(file);
            return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
