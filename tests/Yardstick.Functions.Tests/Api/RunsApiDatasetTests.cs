using System.Net;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;
using Yardstick.Storage;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>POST /api/runs</c> with <c>data.blob</c>, the datasets container on Azurite: a pushed blob starts the run; a missing
/// one, or a request naming a column the blob lacks, is refused with 400 naming <c>data.blob</c> before anything is scheduled.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunsApiDatasetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly YardstickStorage _storage = azurite.CreateIsolatedStorage();
    private RunsApiServer? _server;

    private RunsApiServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string>(), datasets: _storage.Datasets);
        var csv = "id,city\n1,Oslo\n2,Lima\n";
        var bytes = Encoding.UTF8.GetBytes(csv);
        await _storage.Datasets.PutAsync("users.csv", new MemoryStream(bytes), DatasetFiles.Describe(new MemoryStream(bytes), "datasets/users.csv", jsonLines: false), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Workload(string name, string data, string url = TestWorkloads.TargetUrl + "?user=${data.id}") =>
        TestWorkloads.Valid(name, url: url).TrimEnd() + "\ndata: " + data + "\n";

    private async Task<int> CountAsync()
    {
        var count = 0;
        await foreach (var _ in Server.Client.GetAllInstancesAsync(new Microsoft.DurableTask.Client.OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Start_PushedBlob_Returns202AndSchedulesTheRunWithItsDataSection()
    {
        var text = Workload("blob-api", "{ blob: datasets/users.csv, mode: unique }");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Contains("blob: datasets/users.csv", request.WorkloadText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutWorkload_MissingBlob_400NamingDataBlob_NothingStored_PushedBlob_Stored()
    {
        using var missing = await Server.Http.PutAsync("/api/workloads/blob-reg", new StringContent(Workload("blob-reg", "{ blob: datasets/absent.csv }"), Encoding.UTF8, "application/yaml"));
        var problem = await ReadProblemAsync(missing, HttpStatusCode.BadRequest);
        Assert.Equal("data.blob", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("'datasets/absent.csv' does not exist", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
        Assert.Empty(await Server.Registry.VersionsAsync("blob-reg", CancellationToken.None));

        using var pushed = await Server.Http.PutAsync("/api/workloads/blob-reg", new StringContent(Workload("blob-reg", "{ blob: datasets/users.csv }"), Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
    }

    [Fact]
    public async Task Start_MissingBlob_Returns400NamingDataBlobAndTheBlob()
    {
        var before = await CountAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("blob-missing-api", "{ blob: datasets/nobody.csv }") });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "data.blob"
            && ((string?)e["message"])!.Contains("'datasets/nobody.csv' does not exist in the datasets container", StringComparison.Ordinal));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Start_ColumnTheBlobLacks_Returns400NamingDataBlobAndItsColumns()
    {
        var before = await CountAsync();
        var text = Workload("blob-column-api", "{ blob: datasets/users.csv }", TestWorkloads.TargetUrl + "?user=${data.userId}");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "data.blob"
            && (string?)e["message"] == "${data.userId} is not a column of datasets/users.csv (columns: id, city).");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Start_DataFile_StillRefused_PointingAtDataPush()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("file-api", "{ file: users.csv }") });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "data.file"
            && ((string?)e["message"])!.Contains("yardstick data push", StringComparison.Ordinal));
    }
}
