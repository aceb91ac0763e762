using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Yardstick.Core.Environments;

/// <summary>
/// Where a shard's load was generated: the facts that change what a benchmark measures (cores, memory, OS and
/// kernel, CPU model, runtime, GC mode, Yardstick's version, host kind, and on Functions the instance's region, SKU
/// and memory). Only these facts are captured: no environment variable is copied (three named settings are read,
/// see <see cref="GeneratorEnvironmentCapture"/>), and no machine name or hash of one (a short host name is guessed
/// from its hash); two workers with the same facts are one environment.
/// </summary>
public sealed record GeneratorEnvironment
{
    /// <summary><c>local</c> (CLI) or <c>functions</c>.</summary>
    public string HostKind { get; init; } = "";

    /// <summary><c>linux</c>, <c>windows</c>, <c>osx</c> or <c>other</c>.</summary>
    public string Os { get; init; } = "";

    /// <summary>The OS description the runtime reports (on Linux the kernel release and build, e.g. <c>Linux 6.8.0-1021-azure #25-Ubuntu SMP …</c>).</summary>
    public string OsDescription { get; init; } = "";

    /// <summary>Kernel (or OS) version, e.g. <c>6.8.0.1021</c>.</summary>
    public string Kernel { get; init; } = "";

    /// <summary>CPU model name (Linux <c>/proc/cpuinfo</c>); null where it cannot be read.</summary>
    public string? CpuModel { get; init; }

    /// <summary>Logical cores this process may use.</summary>
    public int LogicalCores { get; init; }

    /// <summary>Memory available to the process (the GC's view, container limits included), MB.</summary>
    public long? MemoryMB { get; init; }

    /// <summary>The .NET runtime, e.g. <c>.NET 10.0.1</c>.</summary>
    public string Runtime { get; init; } = "";

    /// <summary><c>x64</c>, <c>arm64</c>…</summary>
    public string Architecture { get; init; } = "";

    public bool ServerGc { get; init; }

    /// <summary>Yardstick's informational version (with the commit when the build stamped one).</summary>
    public string YardstickVersion { get; init; } = "";

    /// <summary>Functions instance's region (<c>YARDSTICK_REGION</c>, else the platform's <c>REGION_NAME</c>); null when unknown.</summary>
    public string? Region { get; init; }

    /// <summary>Functions plan SKU (<c>WEBSITE_SKU</c>, e.g. <c>FlexConsumption</c>); null when unknown.</summary>
    public string? Sku { get; init; }

    /// <summary>Functions instance memory (<c>YARDSTICK_INSTANCE_MEMORY_MB</c>); null when unknown.</summary>
    public int? InstanceMemoryMB { get; init; }

    /// <summary>The fields a comparison looks at, by name, in a fixed order (values as text; null = unknown).</summary>
    public IReadOnlyList<(string Field, string? Value)> ComparableFields() =>
    [
        ("hostKind", HostKind),
        ("os", Os),
        ("kernel", Kernel),
        ("cpuModel", CpuModel),
        ("logicalCores", LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("memoryMB", MemoryMB?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("runtime", Runtime),
        ("architecture", Architecture),
        ("serverGc", ServerGc ? "true" : "false"),
        ("yardstickVersion", YardstickVersion),
        ("region", Region),
        ("sku", Sku),
        ("instanceMemoryMB", InstanceMemoryMB?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>One line: <c>local · linux 6.8.0 · 4 cores · 15.6 GB · .NET 10.0.1 x64 · workstation GC · Yardstick 1.0.0</c>.</summary>
    public string Digest()
    {
        var parts = new List<string> { HostKind, $"{Os} {Kernel}".Trim(), $"{LogicalCores} cores" };
        if (CpuModel is { Length: > 0 } cpu)
        {
            parts.Add(cpu);
        }

        if (MemoryMB is { } mb)
        {
            parts.Add(FormattableString.Invariant($"{mb / 1024.0:0.#} GB"));
        }

        parts.Add($"{Runtime} {Architecture}".Trim());
        parts.Add(ServerGc ? "server GC" : "workstation GC");
        parts.Add("Yardstick " + YardstickVersion);
        var instance = string.Join(' ', new[] { Region, Sku, InstanceMemoryMB is { } im ? FormattableString.Invariant($"{im} MB") : null }.Where(p => !string.IsNullOrEmpty(p)));
        if (instance.Length > 0)
        {
            parts.Add(instance);
        }

        return string.Join(" · ", parts.Where(p => p.Length > 0));
    }
}

/// <summary>Reads the <see cref="GeneratorEnvironment"/> of this process.</summary>
public static class GeneratorEnvironmentCapture
{
    /// <summary>Functions instance region set by Yardstick's template.</summary>
    public const string RegionSetting = "YARDSTICK_REGION";

    /// <summary>The platform's region variable, used when <see cref="RegionSetting"/> is unset.</summary>
    public const string PlatformRegionSetting = "REGION_NAME";

    /// <summary>Functions instance memory set by Yardstick's template.</summary>
    public const string InstanceMemorySetting = "YARDSTICK_INSTANCE_MEMORY_MB";

    /// <summary>App Service's plan SKU variable.</summary>
    public const string SkuSetting = "WEBSITE_SKU";

    private const int MaxText = 200;

    private static readonly Lazy<string?> CpuModelLazy = new(ReadCpuModel);

    /// <summary>This process's environment as a <paramref name="hostKind"/> host.</summary>
    public static GeneratorEnvironment Current(string hostKind) => Capture(hostKind, Environment.GetEnvironmentVariable);

    /// <summary>
    /// This process's environment; <paramref name="setting"/> is asked for exactly <see cref="RegionSetting"/>,
    /// <see cref="PlatformRegionSetting"/>, <see cref="InstanceMemorySetting"/> and <see cref="SkuSetting"/> (region, SKU and
    /// memory are recorded on the <c>functions</c> host only: on a developer's machine they describe nothing measured).
    /// </summary>
    public static GeneratorEnvironment Capture(string hostKind, Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var functions = string.Equals(hostKind, "functions", StringComparison.Ordinal);
        var gcMemory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new GeneratorEnvironment
        {
            HostKind = hostKind,
            Os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : "other",
            OsDescription = Clip(RuntimeInformation.OSDescription),
            Kernel = Environment.OSVersion.Version.ToString(),
            CpuModel = CpuModelLazy.Value,
            LogicalCores = Environment.ProcessorCount,
            MemoryMB = gcMemory > 0 ? gcMemory / (1024 * 1024) : null,
            Runtime = Clip(RuntimeInformation.FrameworkDescription),
            Architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ServerGc = GCSettings.IsServerGC,
            YardstickVersion = YardstickVersion(),
            Region = functions ? Name(setting(RegionSetting)) ?? Name(setting(PlatformRegionSetting)) : null,
            Sku = functions ? Name(setting(SkuSetting)) : null,
            InstanceMemoryMB = functions && int.TryParse(setting(InstanceMemorySetting), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mb) && mb is > 0 and <= 1_048_576 ? mb : null,
        };
    }

    /// <summary>The informational version of Yardstick's Core assembly (<c>1.0.0+commit</c> when stamped).</summary>
    public static string YardstickVersion() =>
        Clip(typeof(GeneratorEnvironmentCapture).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(GeneratorEnvironmentCapture).Assembly.GetName().Version?.ToString() ?? "unknown");

    /// <summary>A region or SKU name: letters, digits and dashes only, else nothing (a setting is never copied verbatim otherwise).</summary>
    private static string? Name(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: > 0 and <= 64 } && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ') ? trimmed : null;
    }

    private static string Clip(string text) => text.Length <= MaxText ? text : text[..MaxText];

    private static string? ReadCpuModel()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo"))
            {
                return null;
            }

            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                {
                    return Clip(line[(colon + 1)..].Trim());
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
