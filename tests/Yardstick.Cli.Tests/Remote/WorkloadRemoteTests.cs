using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Core.Trends;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>
/// <c>yardstick workload … --endpoint</c> through the real command tree against a scripted loopback API: the requests
/// it sends (method, route, body, content type, key) and how it reads the answers and refusals.
/// </summary>
public sealed class WorkloadRemoteTests : IAsyncLifetime
{
    private const string KeyVariable = "YARDSTICK_TEST_WORKLOAD_REMOTE_KEY";
    private const string Key = "fk-SECRET-workload-3e9a";

    private FakeYardstickApi? _api;
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("yardstick-workload-remote-");

    private FakeYardstickApi Api => _api!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        _api = await FakeYardstickApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        _temp.Delete(recursive: true);
    }

    [Fact]
    public async Task Push_SendsTheFileAsYamlWithTheKeyAndAuthor_PrintsTheVersion()
    {
        var file = Path.Combine(_temp.FullName, "remote-test.yaml");
        await File.WriteAllTextAsync(file, RemoteTestBed.WorkloadYaml);
        Api.On("PUT /api/workloads/remote-test?author=ci%3Abot", FakeYardstickApi.Json(201, new WorkloadPushResponse
        {
            Created = true,
            Version = Version(3),
            Url = Api.Endpoint + "/api/workloads/remote-test/versions/3",
        }));

        var (exit, output, error) = await RunAsync("workload", "push", file, "--author", "ci:bot");

        Assert.True(exit == 0, output + error);
        Assert.Contains("Registered remote-test v3 (", output, StringComparison.Ordinal);
        var request = Assert.Single(Api.Requests);
        Assert.Equal(RemoteTestBed.WorkloadYaml, request.Body);
        Assert.StartsWith("application/yaml", request.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal(Key, request.Header("x-functions-key"));
        Assert.DoesNotContain(Key, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ServerRefuses_Exit2WithTheFieldsItNamed()
    {
        var file = Path.Combine(_temp.FullName, "remote-test.yaml");
        await File.WriteAllTextAsync(file, RemoteTestBed.WorkloadYaml);
        Api.On("PUT /api/workloads/remote-test?author=ci%3Abot", FakeYardstickApi.Problem(400, "The workload is not valid.", "1 problem", ("target.headers.x-functions-key", "environment variable YARDSTICK_TEST_SERVER_ONLY_SECRET is not set")));

        var (exit, _, error) = await RunAsync("workload", "push", file, "--author", "ci:bot");

        Assert.Equal(2, exit);
        Assert.Contains("target.headers.x-functions-key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ReadsTheOverview()
    {
        Api.On("GET /api/workloads", FakeYardstickApi.Json(200, new WorkloadOverviewResponse
        {
            Workloads =
            [
                new WorkloadOverview
                {
                    Workload = "checkout",
                    Registered = 4,
                    LatestRun = new TrendRun("20261205-020000-abcdef", DateTimeOffset.UtcNow, "completed", "regression", "default", "0011", 4),
                    Verdict = "regression",
                    Metric = "p95",
                    Days = 30,
                    Direction = "up",
                    Assessment = "worse",
                },
                new WorkloadOverview { Workload = "hello", Metric = "p95", Days = 30, Direction = "flat", Assessment = "unchanged" },
            ],
        }));

        var (exit, output, error) = await RunAsync("workload", "list");

        Assert.True(exit == 0, output + error);
        Assert.Contains("checkout", output, StringComparison.Ordinal);
        Assert.Contains("20261205-020000-abcdef (completed)", output, StringComparison.Ordinal);
        Assert.Contains("p95 up, worse (30 d)", output, StringComparison.Ordinal);
        Assert.Contains("packaged", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_TwoRemoteVersions_ComparesTheirTexts()
    {
        Api.On("GET /api/workloads/remote-test/versions", FakeYardstickApi.Json(200, new WorkloadVersionsResponse { Workload = "remote-test", Versions = [Version(2), Version(1)] }));
        Api.On("GET /api/workloads/remote-test/versions/1", FakeYardstickApi.Json(200, new WorkloadVersionResponse { Version = Version(1), Text = RemoteTestBed.WorkloadYaml }));
        Api.On("GET /api/workloads/remote-test/versions/2", FakeYardstickApi.Json(200, new WorkloadVersionResponse { Version = Version(2), Text = RemoteTestBed.WorkloadYaml.Replace("rate: 10/s", "rate: 50/s", StringComparison.Ordinal) }));

        var (exit, output, error) = await RunAsync("workload", "diff", "remote-test");

        Assert.True(exit == 0, output + error);
        Assert.Contains("-   rate: 10/s", output, StringComparison.Ordinal);
        Assert.Contains("+   rate: 50/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_UnknownWorkload_Exit2SayingTheAppHasNone()
    {
        Api.On("GET /api/workloads/nobody/versions", FakeYardstickApi.Problem(404, "No such workload.", "workload: no deployed workload is named 'nobody'.", ("workload", "no deployed workload is named 'nobody'.")));

        var (exit, _, error) = await RunAsync("workload", "show", "nobody");

        Assert.Equal(2, exit);
        Assert.Contains("has no workload 'nobody'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointAndStorage_Together_Exit2NamingStorage()
    {
        var (exit, _, error) = await RunAsync("workload", "list", "--storage", "UseDevelopmentStorage=true");

        Assert.Equal(2, exit);
        Assert.StartsWith("yardstick: --storage: ", error, StringComparison.Ordinal);
    }

    private static WorkloadVersion Version(int n) =>
        new("remote-test", n, new string((char)('a' + n), 64), "yaml", "ci:bot", DateTimeOffset.UtcNow, null, 120);

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        var exit = await YardstickCli.RunAsync([.. args, "--endpoint", Api.Endpoint, "--function-key-env", KeyVariable], console, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
