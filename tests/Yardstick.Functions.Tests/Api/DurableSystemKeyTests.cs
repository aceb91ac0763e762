using System.Net;
using System.Net.Http.Json;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// The Durable extension's system key never leaves the app: with the Functions host's own Durable client (which can make
/// the management URLs that carry it), the 202 answers of <c>POST /api/runs</c> and <c>POST /api/gate</c> hold only
/// Yardstick's routes, and the CLI's contract reads its status URL from what remains.
/// </summary>
public sealed class DurableSystemKeyTests : IAsyncLifetime
{
    private RunsApiServer? _server;

    private RunsApiServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string> { ["hello.yaml"] = TestWorkloads.Valid("hello-key") }, functionsClient: true);

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task StartRun_WithTheFunctionsDurableClient_202CarriesNoSystemKeyNorManagementUrl()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = "hello-key" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await AssertOnlyYardstickUrlsAsync(response);
    }

    [Fact]
    public async Task Gate_BudgetSpent_202CarriesNoSystemKeyNorManagementUrl()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/gate", new { workload = "hello-key", budgetSeconds = 1 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await AssertOnlyYardstickUrlsAsync(response);
    }

    private async Task AssertOnlyYardstickUrlsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FunctionsDurableClient.SystemKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("webhooks", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FunctionsDurableClient.SystemKey, string.Join("\n", response.Headers.Select(h => string.Join(",", h.Value))), StringComparison.Ordinal);

        // What the CLI reads (the shared contract): its own status URL, which it polls.
        var started = Yardstick.Core.YardstickJson.Deserialize<StartRunResponse>(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.Equal($"{Server.BaseUrl}/api/runs/{started.RunId}", started.StatusQueryGetUri);
        Assert.Equal(new Uri(started.StatusQueryGetUri), response.Headers.Location);
    }
}
