using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>A Yardstick CLI call found in a pipeline script.</summary>
/// <param name="Command">The first word after <c>yardstick</c> (or after <c>dotnet run --project src/Yardstick.Cli … --</c>).</param>
/// <param name="Options">The long options (<c>--name</c>) given after the command.</param>
/// <param name="Line">The whole (continuation-joined) script line, for failure messages.</param>
internal sealed record CliInvocation(string Command, IReadOnlyList<string> Options, string Line);

/// <summary>
/// Reads CI pipeline YAML (GitHub Actions, Azure DevOps) and finds the Yardstick CLI calls in its
/// script steps (<c>run</c>, <c>script</c>, <c>bash</c>, <c>pwsh</c>, <c>powershell</c>, <c>inlineScript</c>).
/// </summary>
internal static partial class PipelineCommandScanner
{
    private static readonly HashSet<string> ScriptKeys = new(StringComparer.Ordinal)
    {
        "run", "script", "bash", "pwsh", "powershell", "inlineScript",
    };

    /// <summary>Parses the YAML (throws YamlDotNet's exception if it does not parse) and returns every script body.</summary>
    public static IReadOnlyList<string> ReadScripts(string yamlText)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yamlText))
        {
            stream.Load(reader);
        }

        var scripts = new List<string>();
        foreach (var document in stream.Documents)
        {
            Collect(document.RootNode, scripts);
        }

        return scripts;
    }

    /// <summary>Yardstick CLI calls in one script body.</summary>
    public static IReadOnlyList<CliInvocation> FindInvocations(string script)
    {
        var joined = script.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        var found = new List<CliInvocation>();
        foreach (var line in joined.Split('\n'))
        {
            foreach (Match m in InstalledCli().Matches(line))
            {
                found.Add(Invocation(m, line));
            }

            foreach (Match m in DotnetRunCli().Matches(line))
            {
                found.Add(Invocation(m, line));
            }
        }

        return found;
    }

    private static CliInvocation Invocation(Match m, string line)
    {
        var options = LongOption().Matches(m.Groups["rest"].Value).Select(o => o.Groups[1].Value).ToList();
        return new CliInvocation(m.Groups["cmd"].Value, options, line.Trim());
    }

    private static void Collect(YamlNode node, List<string> scripts)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is YamlScalarNode { Value: { } k } && ScriptKeys.Contains(k) && value is YamlScalarNode { Value: { } body })
                    {
                        scripts.Add(body);
                    }
                    else
                    {
                        Collect(value, scripts);
                    }
                }

                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                {
                    Collect(child, scripts);
                }

                break;
        }
    }

    // `yardstick <cmd> …` as a command word: at line start or after a shell separator, never as the
    // tail of a path such as "$RUNNER_TEMP/yardstick".
    [GeneratedRegex(@"(?:^|[\s;&|(`])yardstick\s+(?<cmd>[a-z][a-z-]*)(?<rest>[^;&|]*)")]
    private static partial Regex InstalledCli();

    // `dotnet run --project src/Yardstick.Cli [args] -- <cmd> …`
    [GeneratedRegex(@"dotnet\s+run\s[^;&|]*?src/Yardstick\.Cli\S*[^;&|]*?\s--\s+(?<cmd>[a-z][a-z-]*)(?<rest>[^;&|]*)")]
    private static partial Regex DotnetRunCli();

    [GeneratedRegex(@"(?:^|\s)--([a-z][a-z-]*)")]
    private static partial Regex LongOption();
}

/// <summary>
/// The CLI surface the pipeline examples may use, read from the real command tree
/// (<see cref="Yardstick.Cli.Commands.YardstickCli.CreateRoot"/>): every top-level command with the long options it and
/// its subcommands accept (<c>baseline promote … --reason</c> counts for <c>baseline</c>).
/// </summary>
internal static class KnownCli
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Table = new(Read);

    /// <summary>Top-level commands.</summary>
    public static IReadOnlySet<string> Commands => Table.Value.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Long options (without <c>--</c>) of a top-level command and its subcommands; empty for an unknown command.</summary>
    public static IReadOnlySet<string> OptionsOf(string command) =>
        Table.Value.TryGetValue(command, out var options) ? options : new HashSet<string>();

    private static Dictionary<string, IReadOnlySet<string>> Read()
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        var root = Yardstick.Cli.Commands.YardstickCli.CreateRoot(console, TextWriter.Null);
        return root.Subcommands.ToDictionary(c => c.Name, c => (IReadOnlySet<string>)LongOptions(c).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static IEnumerable<string> LongOptions(System.CommandLine.Command command) =>
        command.Options.SelectMany(o => o.Aliases.Append(o.Name))
            .Where(name => name.StartsWith("--", StringComparison.Ordinal))
            .Select(name => name[2..])
            .Concat(command.Subcommands.SelectMany(LongOptions));
}
