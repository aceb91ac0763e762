using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick validate</c> on hostile files: refused at once with one line naming the problem, exit 2.</summary>
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

    private static async Task<(int Exit, string Error)> ValidateAsync(string path)
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
        var exit = await YardstickCli.RunAsync(["validate", path], console, stderr);
        return (exit, stderr.ToString() + stdout);
    }
}
