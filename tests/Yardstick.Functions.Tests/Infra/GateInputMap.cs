using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// The gate action (<c>actions/gate/action.yml</c>) or the Azure DevOps template beside it, read as the runner would:
/// the declared inputs, and the install and gate steps with their scripts and the environment that carries the inputs
/// into them (<c>VAR: ${{ inputs.x }}</c> or <c>VAR: ${{ parameters.x }}</c>).
/// </summary>
internal sealed record GateDefinition(
    IReadOnlyList<string> Inputs,
    YamlMappingNode Root,
    YamlMappingNode InstallStep,
    string InstallScript,
    IReadOnlyDictionary<string, string> InstallEnv,
    YamlMappingNode GateStep,
    string GateScript,
    IReadOnlyDictionary<string, string> GateEnv);

/// <summary>What one input becomes on the <c>yardstick gate</c> command line.</summary>
/// <param name="Options">Long options the input's value reaches (<c>--endpoint</c>, <c>--set</c>…).</param>
/// <param name="IsFileArgument">True when the input is the workload file argument.</param>
/// <param name="SetPaths">Workload paths a <c>--set "path=$VAR"</c> writes.</param>
internal sealed record GateInputUse(IReadOnlyList<string> Options, bool IsFileArgument, IReadOnlyList<string> SetPaths);

internal static partial class GateInputMap
{
    /// <summary>Inputs that choose how the tool is installed; they reach <c>dotnet tool install</c>, not the gate.</summary>
    public static readonly IReadOnlySet<string> InstallInputs = new HashSet<string>(StringComparer.Ordinal) { "tool-source", "tool-version", "yardstick-sources" };

    public static GateDefinition Read(string yamlText)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yamlText))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        IReadOnlyList<string> inputs;
        YamlSequenceNode steps;
        if (root.Children.TryGetValue(new YamlScalarNode("runs"), out var runs))
        {
            // GitHub composite action: inputs is a mapping, the steps are under runs.
            inputs = [.. ((YamlMappingNode)root.Children[new YamlScalarNode("inputs")]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];
            steps = (YamlSequenceNode)((YamlMappingNode)runs).Children[new YamlScalarNode("steps")];
        }
        else
        {
            // Azure DevOps steps template: parameters is a list of { name, type, default }.
            inputs = [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("parameters")]).Children.Select(p => Text((YamlMappingNode)p, "name")!)];
            steps = (YamlSequenceNode)root.Children[new YamlScalarNode("steps")];
        }

        var mappings = steps.Children.Cast<YamlMappingNode>().ToList();
        var install = mappings.Single(s => Script(s)?.Contains("dotnet tool install", StringComparison.Ordinal) == true);
        var gate = mappings.Single(s => Script(s) is { } script && GateCall().IsMatch(script));
        return new GateDefinition(inputs, root, install, Script(install)!, Env(install), gate, Script(gate)!, Env(gate));
    }

    /// <summary>Kebab-case of an input name (<c>failOnInconclusive</c> → <c>fail-on-inconclusive</c>), for comparing the two files.</summary>
    public static string Kebab(string name) => CamelHump().Replace(name, "$1-$2").ToLowerInvariant();

    /// <summary>What <paramref name="input"/> becomes in the gate script: found through each env variable that carries it.</summary>
    public static GateInputUse Use(GateDefinition definition, string input)
    {
        var options = new List<string>();
        var setPaths = new List<string>();
        var isFile = false;
        foreach (var variable in definition.GateEnv.Where(e => e.Value == input).Select(e => e.Key))
        {
            var mention = new Regex(@"\$\{?" + Regex.Escape(variable) + @"\b");
            foreach (var line in definition.GateScript.Split('\n').Where(l => mention.IsMatch(l)))
            {
                isFile |= Regex.IsMatch(line, @"yardstick\s+gate\s+""\$\{?" + Regex.Escape(variable) + @"\}?""");
                // --option "$VAR" anywhere (the gate call's own options), and what a line appends to the argument list.
                options.AddRange(Regex.Matches(line, @"(?:^|\s)--([a-z][a-z-]*)\s+""\$\{?" + Regex.Escape(variable) + @"\}?""").Select(m => m.Groups[1].Value));
                foreach (Match added in ArgsAppend().Matches(line))
                {
                    var items = added.Groups["items"].Value;
                    options.AddRange(LongOption().Matches(items).Select(m => m.Groups[1].Value));
                    setPaths.AddRange(SetPath().Matches(items).Select(m => m.Groups["path"].Value));
                }
            }
        }

        return new GateInputUse([.. options.Distinct()], isFile, setPaths);
    }

    /// <summary>
    /// Every way the definition's inputs can fail to map: an input that reaches no gate option, an option the gate does
    /// not have, an env variable naming an undeclared input, an install input in the gate step or missing from the install.
    /// </summary>
    public static IReadOnlyList<string> Problems(GateDefinition definition, IReadOnlySet<string> gateOptions, Func<string, bool> isWorkloadPath)
    {
        var problems = new List<string>();
        foreach (var input in definition.GateEnv.Values.Concat(definition.InstallEnv.Values).Where(i => !definition.Inputs.Contains(i)))
        {
            problems.Add($"the env refers to '{input}', which is not a declared input");
        }

        foreach (var input in definition.Inputs)
        {
            if (InstallInputs.Contains(Kebab(input)))
            {
                if (!definition.InstallEnv.Values.Contains(input))
                {
                    problems.Add($"install input '{input}' does not reach the install step");
                }

                if (definition.GateEnv.Values.Contains(input))
                {
                    problems.Add($"install input '{input}' reaches the gate step");
                }

                continue;
            }

            var use = Use(definition, input);
            if (!use.IsFileArgument && use.Options.Count == 0)
            {
                problems.Add($"input '{input}' reaches no option of yardstick gate");
            }

            problems.AddRange(use.Options.Where(o => !gateOptions.Contains(o)).Select(o => $"input '{input}' maps to --{o}, which yardstick gate does not have"));
            problems.AddRange(use.SetPaths.Where(p => !isWorkloadPath(p)).Select(p => $"input '{input}' sets '{p}', which is not a workload field"));
        }

        return problems;
    }

    public static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static string? Script(YamlMappingNode step) => Text(step, "run") ?? Text(step, "bash") ?? Text(step, "script");

    private static Dictionary<string, string> Env(YamlMappingNode step)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (step.Children.TryGetValue(new YamlScalarNode("env"), out var node) && node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (value is YamlScalarNode { Value: { } text } && InputReference().Match(text) is { Success: true } m)
                {
                    env[((YamlScalarNode)key).Value!] = m.Groups["name"].Value;
                }
            }
        }

        return env;
    }

    [GeneratedRegex(@"^\$\{\{\s*(?:inputs|parameters)\.(?<name>[\w-]+)\s*\}\}$")]
    private static partial Regex InputReference();

    [GeneratedRegex(@"(?:^|\s)yardstick\s+gate\s")]
    private static partial Regex GateCall();

    [GeneratedRegex(@"args\+=\((?<items>[^)]*)\)")]
    private static partial Regex ArgsAppend();

    [GeneratedRegex(@"(?:^|\s)--([a-z][a-z-]*)")]
    private static partial Regex LongOption();

    // --set "path=$VAR": a literal workload path before the '='.
    [GeneratedRegex(@"--set\s+""(?<path>[A-Za-z][\w.\[\]]*)=")]
    private static partial Regex SetPath();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelHump();
}
