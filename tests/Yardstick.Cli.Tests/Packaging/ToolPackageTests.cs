using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Packaging;

/// <summary>Packing and installing the tool writes a package and a tool folder; nothing else may run beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ToolPackageCollection
{
    public const string Name = "tool package";
}

/// <summary>
/// What CI does to prove Yardstick installs where pipelines run: <c>dotnet pack</c> the CLI (the build the tests ran
/// on), install the package into a temporary tool path from that folder alone (a nuget.config that clears every other
/// source, an empty packages folder), then run <c>yardstick --version</c>, <c>yardstick validate</c> and a short local
/// run of the built-in sample target from the installed copy, outside the repository; last, the gate action's gate step
/// (<c>actions/gate/action.yml</c>) runs a local gate with that install and writes its outputs.
/// </summary>
[Collection(ToolPackageCollection.Name)]
public sealed class ToolPackageTests(ITestOutputHelper output) : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    // A guard against a hung child process, not a timing assertion.
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("yardstick-tool-");

    [Fact]
    public async Task Pack_InstalledFromLocalFolderOnly_RunsVersionValidateAndALocalRunOutsideTheRepository()
    {
        var root = RepositoryRoot();
        var version = OneVersion(root);
        Assert.Equal(version, typeof(Yardstick.Cli.Commands.YardstickCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]);

        // --no-build: the package holds the build under test, and packing never races the running tests' build.
        var packages = Path.Combine(_temp.FullName, "packages");
        await RunAsync("dotnet", root, ["pack", Path.Combine(root, "src", "Yardstick.Cli"), "-c", Configuration, "--no-build", "-o", packages, "-nologo"]);
        var package = Path.Combine(packages, $"Yardstick.Cli.{version}.nupkg");
        Assert.True(File.Exists(package), $"no {Path.GetFileName(package)} in {packages}: {string.Join(", ", Directory.GetFiles(packages).Select(Path.GetFileName))}");
        AssertSelfContainedToolPackage(package);

        // Only the local folder: a dependency outside the package, or a cached copy of an older package, would show here.
        var config = Path.Combine(_temp.FullName, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var toolPath = Path.Combine(_temp.FullName, "tools");
        var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_temp.FullName, "nuget-cache") };
        await RunAsync("dotnet", _temp.FullName, ["tool", "install", "--tool-path", toolPath, "--configfile", config, "Yardstick.Cli", "--version", version], isolated);

        var yardstick = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "yardstick.exe" : "yardstick");
        var work = Directory.CreateDirectory(Path.Combine(_temp.FullName, "work")).FullName;
        var printed = await RunAsync(yardstick, work, ["--version"]);
        Assert.StartsWith(version, printed.Trim(), StringComparison.Ordinal);

        var validated = await RunAsync(yardstick, work, ["validate", Path.Combine(root, "workloads", "hello-local.yaml")]);
        Assert.Contains("valid: hello-local", validated, StringComparison.Ordinal);

        // The built-in sample target and the pricing catalog come from the install; storage is an embedded Azurite from
        // the repository's already installed tools/azurite (the packed copy would npm-install it on first use).
        var port = TestPorts.Reserve().ToString(CultureInfo.InvariantCulture);
        var azurite = new Dictionary<string, string> { ["YARDSTICK_AZURITE_DIR"] = Path.Combine(root, "tools", "azurite") };
        var ran = await RunAsync(
            yardstick,
            work,
            [
                "run", Path.Combine(root, "workloads", "hello-local.yaml"), "--no-progress",
                "--set", $"target.url=http://127.0.0.1:{port}/api/hello", "--set", $"target.process.args[1]=http://127.0.0.1:{port}",
                "--set", "load.duration=1s", "--set", "load.warmup=0s", "--set", "load.rate=20/s",
            ],
            azurite);
        Assert.Matches(@"status\s*│\s*completed", ran);

        // The gate action's own gate step, run by bash as the runner would, with the installed tool on PATH: a local gate of
        // a workload whose target.url the target-url input replaces; its outputs go to $GITHUB_OUTPUT.
        var workload = Path.Combine(work, "gate.yaml");
        await File.WriteAllTextAsync(workload, (await File.ReadAllTextAsync(Path.Combine(root, "workloads", "hello-local.yaml")))
            .Replace("http://127.0.0.1:5080/api/hello", "http://127.0.0.1:1/not-this-one", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5080", $"http://127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("duration: 10s", "duration: 1s", StringComparison.Ordinal)
            .Replace("warmup: 2s", "warmup: 0s", StringComparison.Ordinal)
            .Replace("rate: 200/s", "rate: 20/s", StringComparison.Ordinal));
        var outputs = Path.Combine(work, "github-output");
        await File.WriteAllTextAsync(outputs, "");
        var gateStep = Path.Combine(work, "gate-step.sh");
        await File.WriteAllTextAsync(gateStep, ActionStepScript(root, "gate"));
        var gated = await RunAsync(
            "bash",
            work,
            [gateStep],
            new Dictionary<string, string>(azurite)
            {
                ["PATH"] = toolPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["GITHUB_OUTPUT"] = outputs,
                ["YARDSTICK_GATE_WORKLOAD"] = "gate.yaml",
                ["YARDSTICK_GATE_ENDPOINT"] = "local",
                ["YARDSTICK_GATE_TARGET_URL"] = $"http://127.0.0.1:{port}/api/hello",
                ["YARDSTICK_GATE_AGAINST_URL"] = "", // no paired reference: the stored baseline (none yet) decides
                ["YARDSTICK_GATE_FAIL_ON_INCONCLUSIVE"] = "true",
                ["YARDSTICK_GATE_STRICT"] = "false", // 1 s runs cannot decide; the design lines say so and the gate goes on
                ["YARDSTICK_GATE_FUNCTION_KEY"] = "",
                ["YARDSTICK_GATE_SET"] = "tags.commit=abc123\n",
                ["YARDSTICK_GATE_OUT"] = "gate-out",
            });
        Assert.Contains("gate passed", gated, StringComparison.Ordinal);
        var written = (await File.ReadAllLinesAsync(outputs)).Where(l => l.Contains('=', StringComparison.Ordinal)).ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("no-baseline", written["verdict"]);
        Assert.Equal("0", written["exit-code"]);
        Assert.True(File.Exists(Path.Combine(work, written["report"])), $"no report at {written["report"]}");
        Assert.Matches("\"commit\":\\s*\"abc123\"", await File.ReadAllTextAsync(Path.Combine(work, "gate-out", "summary.json")));
    }

    /// <summary>The <c>run</c> script of the step with this id in <c>actions/gate/action.yml</c>.</summary>
    private static string ActionStepScript(string root, string id)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, "actions", "gate", "action.yml")))
        {
            stream.Load(reader);
        }

        var runs = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode).Children[new YamlScalarNode("runs")];
        var steps = ((YamlSequenceNode)runs.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>();
        var step = steps.Single(s => s.Children.TryGetValue(new YamlScalarNode("id"), out var value) && ((YamlScalarNode)value).Value == id);
        return ((YamlScalarNode)step.Children[new YamlScalarNode("run")]).Value!;
    }

    /// <summary>The version every project gets: Directory.Build.props' VersionPrefix.</summary>
    private static string OneVersion(string root)
    {
        var props = XDocument.Load(Path.Combine(root, "Directory.Build.props"));
        var version = Assert.Single(props.Descendants("VersionPrefix")).Value.Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        return version;
    }

    /// <summary>
    /// A .NET tool package: the command named yardstick, no package dependencies (the publish output is inside), and the
    /// files the CLI reads beside itself at run time.
    /// </summary>
    private static void AssertSelfContainedToolPackage(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        const string Dir = "tools/net10.0/any/";
        foreach (var file in new[]
                 {
                     "yardstick.dll", "DotnetToolSettings.xml", "pricing/azure-functions.json", "Yardstick.Core.dll",
                     "Yardstick.SampleTarget.dll", "Yardstick.SampleTarget.runtimeconfig.json",
                     "tools/azurite/package.json", "tools/azurite/package-lock.json",
                 })
        {
            Assert.True(names.Contains(Dir + file), $"the package has no {Dir}{file}");
        }

        using (var settings = zip.GetEntry(Dir + "DotnetToolSettings.xml")!.Open())
        {
            var command = Assert.Single(XDocument.Load(settings).Descendants("Command"));
            Assert.Equal("yardstick", command.Attribute("Name")?.Value);
        }

        var nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspec = nuspecEntry.Open();
        Assert.DoesNotContain(XDocument.Load(nuspec).Descendants(), e => e.Name.LocalName == "dependency");
    }

    private async Task<string> RunAsync(string fileName, string workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(ProcessLimit))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }

        var text = await stdout;
        var errors = await stderr;
        output.WriteLine($"$ {Path.GetFileName(fileName)} {string.Join(' ', args)} -> {process.ExitCode}\n{text}{errors}");
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(fileName)} {string.Join(' ', args)} exited {process.ExitCode}:\n{text}\n{errors}");
        return text;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            _temp.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting child: the temp folder is cleaned by the OS eventually.
        }
    }
}
