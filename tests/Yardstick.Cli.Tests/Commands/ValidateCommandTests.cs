using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>
/// <c>yardstick validate</c> on hostile files: refused at once with one line naming the problem, exit 2; and the design
/// check it prints (what the comparison cannot decide, what it detects; <c>--strict</c>).
/// </summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("yardstick-validate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Validate_BillionLaughsFile_Exit2NamingTheAnchor()
    {
        var path = Path.Combine(_folder, "laughs.yaml");
        await File.WriteAllTextAsync(path, HostileDocuments.BillionLaughs());

        var (exit, error) = await ValidateAsync(path);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("laughs.yaml:2:", error, StringComparison.Ordinal);
        Assert.Contains("YAML anchors (&a) are not accepted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DeeplyNestedFile_Exit2NamingTheDepth()
    {
        var path = Path.Combine(_folder, "deep.yaml");
        await File.WriteAllTextAsync(path, HostileDocuments.DeeplyNested(100));

        var (exit, error) = await ValidateAsync(path);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("nested more than 32 levels deep", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_EightSecondRuns_SaysWhatCannotBeDecided_AndStrictExits2()
    {
        var path = Path.Combine(_folder, "short.yaml");
        await File.WriteAllTextAsync(path, ShortWorkload("8s"));

        var (exit, output) = await ValidateAsync(path);
        var (strictExit, strictOutput) = await ValidateAsync(path, "--strict");

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Contains("with 8s runs and 1 run per side this gate cannot decide p95: needs ≥ 10 s runs", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, strictExit);
        Assert.Contains("yardstick: --strict: this comparison can never decide p50, p95, p99, errorRate", strictOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TenSecondRuns_SaysWhatItDetects_AndStrictPasses()
    {
        var path = Path.Combine(_folder, "long.yaml");
        await File.WriteAllTextAsync(path, ShortWorkload("10s"));

        var (exit, output) = await ValidateAsync(path, "--strict");

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.DoesNotContain("cannot decide", output, StringComparison.Ordinal);
        // No calibration is read by validate: the assumed 3 % noise, one run per side, α 0.01 over 4 metrics → ≥ 16 %.
        Assert.Contains("with 10s runs and 1 run per side and with the assumed 3 % run-to-run noise (no stored calibration was read here)", output, StringComparison.Ordinal);
        Assert.Contains("it detects shifts ≥ 16 % on p50, ≥ 16 % on p95, ≥ 16 % on p99 at α 0.01", output, StringComparison.Ordinal);
    }

    private static string ShortWorkload(string duration) => $"""
        name: design
        target:
          url: http://127.0.0.1:5080/api/hello
        load:
          model: open
          rate: 1000/s
          duration: {duration}
        """;

    private static async Task<(int Exit, string Error)> ValidateAsync(string path, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 400; // one design line per line, as in a CI log
        var exit = await YardstickCli.RunAsync(["validate", path, .. options], console, stderr);
        return (exit, stderr.ToString() + stdout);
    }
}
