using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Functions.Api;
using Yardstick.Functions.Tests.Infra;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Storage;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// The results storage and the Durable task hub pointed at a loopback port where nothing listens (real Table, Blob and
/// gRPC Durable clients, their real retries): every endpoint answers 503 application/problem+json with Retry-After,
/// never a bare 500, and the answer gives away nothing of the failed call.
/// </summary>
public sealed class DependencyFailureTests : IAsyncLifetime
{
    private const string Workload = "down-api";
    private readonly int _closedPort = TestPorts.Reserve();
    private RunsApiServer _server = null!;

    public async Task InitializeAsync()
    {
        var connection = DevelopmentStorage.ConnectionString(blobPort: _closedPort, queuePort: _closedPort, tablePort: _closedPort);
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        tableOptions.Retry.Delay = blobOptions.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var storage = YardstickStorage.Create(StorageConnection.Parse(connection), tableOptions: tableOptions, blobOptions: blobOptions);
        var client = new GrpcDurableTaskClient("down", new GrpcDurableTaskClientOptions { Address = $"http://127.0.0.1:{_closedPort}" }, NullLogger.Instance);
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string> { ["down.yaml"] = TestWorkloads.Valid(Workload) }, storage: storage, handlerClient: client);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ListRuns_StorageUnreachable_503ProblemWithRetryAfter()
    {
        using var response = await _server.Http.GetAsync($"/api/runs?workload={Workload}");

        await AssertUnavailableAsync(response);
    }

    [Fact]
    public async Task StartRun_StorageAndDurableUnreachable_503ProblemWithRetryAfter()
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/runs", new { workload = Workload });

        await AssertUnavailableAsync(response);
    }

    [Fact]
    public async Task StartRun_IdempotencyStoreUnreachable_503()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { workload = Workload }) };
        request.Headers.TryAddWithoutValidation(IdempotentStarts.Header, "retry-1");

        using var response = await _server.Http.SendAsync(request);

        await AssertUnavailableAsync(response);
    }

    [Fact]
    public async Task GetRun_DurableUnreachable_503()
    {
        using var response = await _server.Http.GetAsync("/api/runs/20261206-030000-abcdef");

        await AssertUnavailableAsync(response);
    }

    [Fact]
    public async Task Report_And_Registry_StorageUnreachable_503()
    {
        using var report = await _server.Http.GetAsync("/api/runs/20261206-030000-abcdef/report");
        using var versions = await _server.Http.GetAsync($"/api/workloads/{Workload}/versions");

        await AssertUnavailableAsync(report);
        await AssertUnavailableAsync(versions);
    }

    [Fact]
    public void EveryHttpFunction_RunsThroughTheGuard()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Of("src/Yardstick.Functions/Functions"), "*.cs"))
        {
            var text = File.ReadAllText(file);
            var triggers = Regex.Count(text, @"\[HttpTrigger\(");
            Assert.True(triggers == Regex.Count(text, @"guard\.RunAsync\("), $"{Path.GetFileName(file)}: {triggers} HTTP functions, not all through ApiGuard.RunAsync");
        }
    }

    private async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(503, (int)problem["status"]!);
        Assert.Equal(TimeSpan.FromSeconds(ApiGuard.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var text = problem.ToJsonString();
        Assert.DoesNotContain(_closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("devstoreaccount1", text, StringComparison.Ordinal);
    }
}
