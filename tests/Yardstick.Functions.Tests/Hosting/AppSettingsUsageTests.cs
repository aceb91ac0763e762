using System.Reflection;
using System.Text.RegularExpressions;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.Infra;

namespace Yardstick.Functions.Tests.Hosting;

/// <summary>
/// Every app setting the Functions code reads is documented in infra/app-settings.json (which the infra tests check
/// against the Bicep): names in <see cref="AppSettings"/>, literal reads in the sources
/// (<c>Environment.GetEnvironmentVariable("…")</c>, <c>configuration["…"]</c>, <c>%…%</c> in trigger attributes), and
/// <c>%…%</c> in host.json.
/// </summary>
public sealed partial class AppSettingsUsageTests
{
    [Fact]
    public void SettingsReadByTheFunctionsHost_AreAllInTheAppSettingsCatalog()
    {
        var documented = AppSettingsCatalog.Load().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        var read = SettingsRead();

        Assert.All(read, name => Assert.True(documented.Contains(name), $"{name} is read by the Functions host but missing from {AppSettingsCatalog.RelativePath}"));
    }

    [Fact]
    public void SettingsRead_FindsTheKnownSettings()
    {
        var read = SettingsRead();

        // The scan must see the settings we know are read, or the catalog check above proves nothing.
        Assert.Superset(new HashSet<string> { "YARDSTICK_STORAGE", "YARDSTICK_ALLOWED_HOSTS", "AZURE_CLIENT_ID", "YARDSTICK_NIGHTLY_SCHEDULE", "YARDSTICK_TASK_HUB" }, read);
    }

    [Theory]
    [InlineData("""var x = Environment.GetEnvironmentVariable("SOME_SETTING");""", "SOME_SETTING")]
    [InlineData("""var x = configuration["OTHER_SETTING"];""", "OTHER_SETTING")]
    [InlineData("""var x = _configuration["Nested__Key"];""", "Nested__Key")]
    [InlineData("""[TimerTrigger("%TIMER_SETTING%")] TimerInfo timer""", "TIMER_SETTING")]
    public void ScanText_LiteralReads_AreFound(string source, string expected)
    {
        Assert.Equal([expected], ScanText(source));
    }

    private static HashSet<string> SettingsRead()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in typeof(AppSettings).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            names.Add((string)field.GetRawConstantValue()!);
        }

        var sources = Directory.EnumerateFiles(RepoPaths.Of("src/Yardstick.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            // Comments describe settings (and placeholders such as %NAME%) without reading them.
            var code = File.ReadLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
            names.UnionWith(ScanText(string.Join('\n', code)));
        }

        names.UnionWith(PercentName().Matches(RepoPaths.ReadText("host.json")).Select(m => m.Groups[1].Value));
        return names;
    }

    private static IEnumerable<string> ScanText(string source) =>
        EnvironmentRead().Matches(source).Concat(ConfigurationRead().Matches(source)).Concat(PercentName().Matches(source))
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex("""GetEnvironmentVariable\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)""")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex("""[cC]onfiguration\[\s*"([A-Za-z_][A-Za-z0-9_:]*)"\s*\]""")]
    private static partial Regex ConfigurationRead();

    [GeneratedRegex("""%([A-Za-z_][A-Za-z0-9_]*)%""")]
    private static partial Regex PercentName();
}
