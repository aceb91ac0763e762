using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

using static Yardstick.Orchestration.Tests.TestSupport.FunctionsShardHarness;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <c>data.blob</c> through the real plan and shard activities with the Functions host's options (no dataset files):
/// rows come from the datasets container on Azurite, pinned to the ETag the plan recorded.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BlobDatasetShardTests(AzuriteFixture azurite)
{
    private static string Workload(string name, string url) => $"""
        name: {name}
        target:
          url: {url}/api/echo/users/${"{"}data.id{"}"}
          checks: ["status in [200]", "body contains /users/"]
        data: {"{"} blob: datasets/{name}.csv, mode: unique, onExhausted: stop {"}"}
        load:
          model: open
          rate: 20/s
          duration: 1s
          shards: 1
        """;

    [Fact]
    public async Task PlanThenShard_FunctionsOptions_RecordsTheBlobAndSendsEachRowOnceFromIt()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("blobshard");
        const string Csv = "id\nada\ngrace\nbarbara\nfrances\n";
        await PushAsync(storage, name + ".csv", Csv);
        var pushed = (await storage.Datasets.GetAsync(name + ".csv", CancellationToken.None))!;

        var (plan, stored) = await PlanAsync(provider, AzuriteFixture.NewRunId(), Workload(name, target.BaseUrl));
        var shard = await ShardAsync(provider, plan);

        var dataset = stored.Dataset!;
        Assert.Equal(("blob", $"datasets/{name}.csv", pushed.ETag, 4L), (dataset.Source, dataset.File, pushed.ETag, dataset.Rows));
        Assert.Equal(pushed.ETag, dataset.ETag);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Csv))), dataset.Sha256);
        Assert.Null(shard.FailureReason);
        var result = YardstickJson.Deserialize<ShardResult>((await storage.Artifacts.GetAsync(plan.Workload, plan.RunId, shard.ResultRef, CancellationToken.None))!);
        Assert.Equal(4, result.Requests);
        Assert.Equal(4, result.Successes);
        Assert.Contains("ran out after 4 row(s)", result.DataExhausted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shard_BlobReplacedAfterThePlan_FailsWithTheReasonNamingDataBlob()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("blobmoved");
        await PushAsync(storage, name + ".csv", "id\n1\n2\n");
        var (plan, _) = await PlanAsync(provider, AzuriteFixture.NewRunId(), Workload(name, target.BaseUrl));

        await PushAsync(storage, name + ".csv", "id\n1\n2\n3\n");
        var e = await Assert.ThrowsAsync<ShardFailedException>(() => ShardAsync(provider, plan));

        Assert.Contains($"data.blob: 'datasets/{name}.csv' changed after the run was planned", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_DataFileOnFunctionsOptions_IsRefusedNamingDataFile()
    {
        var storage = azurite.CreateIsolatedStorage();
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var text = Workload("filedata", "http://127.0.0.1:5999").Replace("blob: datasets/filedata.csv", "file: /etc/passwd.csv", StringComparison.Ordinal);

        var e = await Assert.ThrowsAnyAsync<InputException>(() => PlanAsync(provider, AzuriteFixture.NewRunId(), text));

        Assert.Contains("data.file", e.Describe(), StringComparison.Ordinal);
    }
}
