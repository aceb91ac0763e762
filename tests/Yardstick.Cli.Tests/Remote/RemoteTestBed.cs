using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Remote;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>
/// One remote test: a fake API on loopback, a workload file in a temp folder, a captured Spectre console and error
/// writer, and an environment (with a function key) that never touches the process environment.
/// </summary>
internal sealed class RemoteTestBed : IAsyncDisposable
{
    /// <summary>The function key; no output may ever contain it.</summary>
    public const string FunctionKey = "fk-SECRET-7c41d0a9e2";

    /// <summary>
    /// A valid workload whose target header references a secret no machine sets: the client must not need the
    /// server's secrets to validate it.
    /// </summary>
    public const string WorkloadYaml = """
        name: remote-test
        target:
          url: http://127.0.0.1:5080/api/hello
          headers:
            x-functions-key: "${env:YARDSTICK_TEST_SERVER_ONLY_SECRET}"
        load:
          rate: 10/s
          duration: 2s
        """;

    private readonly StringWriter _output = new();

    private RemoteTestBed(FakeYardstickApi api, bool interactive)
    {
        Api = api;
        Temp = Directory.CreateTempSubdirectory("yardstick-remote-");
        WorkloadFile = new FileInfo(Path.Combine(Temp.FullName, "remote-test.yaml"));
        File.WriteAllText(WorkloadFile.FullName, WorkloadYaml);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_output),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = AnsiSupport.No,
        });
        Context = new CliContext(Console, Error);
    }

    public FakeYardstickApi Api { get; }

    public DirectoryInfo Temp { get; }

    public FileInfo WorkloadFile { get; }

    public IAnsiConsole Console { get; }

    public StringWriter Error { get; } = new();

    public CliContext Context { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal) { [RemoteAuth.DefaultKeyVariable] = FunctionKey };

    /// <summary>Small backoffs and poll intervals so retry tests take milliseconds, not seconds.</summary>
    public static RemoteHttpSettings FastHttp { get; } = new()
    {
        BaseBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
        MinPollInterval = TimeSpan.FromMilliseconds(20),
        DefaultPollInterval = TimeSpan.FromMilliseconds(50),
        PlainProgressInterval = TimeSpan.Zero,
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public string Output => _output.ToString();

    /// <summary>Everything the command printed, console and error writer.</summary>
    public string AllText => _output + "\n" + Error;

    public static async Task<RemoteTestBed> StartAsync(bool interactive = false) =>
        new(await FakeYardstickApi.StartAsync(), interactive);

    public RemoteConnection Connection(RemoteHttpSettings? http = null, string? endpoint = null) => new()
    {
        Endpoint = endpoint ?? Api.Endpoint,
        Environment = name => Environment.GetValueOrDefault(name),
        Http = http ?? FastHttp,
    };

    public RemoteGateArguments Gate(Func<RemoteGateArguments, RemoteGateArguments>? change = null)
    {
        var args = new RemoteGateArguments { File = WorkloadFile, Connection = Connection() };
        return change is null ? args : change(args);
    }

    public Task<int> RunGateAsync(Func<RemoteGateArguments, RemoteGateArguments>? change = null) =>
        new RemoteGate(Context).RunAsync(Gate(change), CancellationToken.None);

    /// <summary>Fails when the key (or the test token) appears anywhere in the output.</summary>
    public void AssertNoSecrets()
    {
        Assert.DoesNotContain(FunctionKey, AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-SECRET", AllText, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        try
        {
            Temp.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
