using Microsoft.DurableTask.Client;
using Yardstick.Functions.Tests.TestSupport;

namespace Yardstick.Functions.Tests.Api;

/// <summary>One API server (Kestrel + in-memory Durable backend) shared by the tests of a class.</summary>
public sealed class RunsApiFixture : IAsyncLifetime
{
    public const string DeployedName = "hello-api";

    private RunsApiServer? _server;

    internal RunsApiServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string>
        {
            ["hello.yaml"] = TestWorkloads.Valid(DeployedName),
            ["other.yaml"] = TestWorkloads.Valid("other-api"),
            ["broken.yaml"] = TestWorkloads.Valid("broken-api").Replace("rate: 10/s", "rate: fast", StringComparison.Ordinal),
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>How many orchestrations the task hub holds (to prove a refused request scheduled nothing).</summary>
    internal async Task<int> CountInstancesAsync()
    {
        var count = 0;
        await foreach (var _ in Server.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }
}
