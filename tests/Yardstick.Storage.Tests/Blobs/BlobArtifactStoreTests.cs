using System.Text;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Storage.Blobs;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Blobs;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobArtifactStoreTests(AzuriteFixture azurite)
{
    private readonly YardstickStorage _storage = azurite.CreateStorage();

    [Fact]
    public async Task PutAsync_ThenGetAsync_ReturnsTheBytesWithContentTypeAndSchemaMetadata()
    {
        var (workload, runId) = NewRun();
        var content = Encoding.UTF8.GetBytes("{\"schemaVersion\":1}");

        await _storage.Artifacts.PutAsync(workload, runId, "summary.json", content, "application/json", CancellationToken.None);

        Assert.Equal(content, await _storage.Artifacts.GetAsync(workload, runId, "summary.json", CancellationToken.None));
        var properties = await _storage.ArtifactStore.GetPropertiesAsync(workload, runId, "summary.json", CancellationToken.None);
        Assert.NotNull(properties);
        Assert.Equal("application/json", properties.Value.ContentType);
        Assert.Equal("1", properties.Value.Metadata[BlobArtifactStore.SchemaMetadataKey]);
    }

    [Fact]
    public async Task PutAsync_Blob_IsNamedWorkloadRunIdName()
    {
        var (workload, runId) = NewRun();
        await _storage.Artifacts.PutAsync(workload, runId, "histograms/round-1.hdr", new byte[] { 1, 2, 3 }, "application/octet-stream", CancellationToken.None);

        var container = _storage.Connection.CreateBlobServiceClient().GetBlobContainerClient("yardstick-runs");
        Assert.True((await container.GetBlobClient($"{workload}/{runId}/histograms/round-1.hdr").ExistsAsync()).Value);
    }

    [Fact]
    public async Task PutAsync_ExistingArtifact_IsOverwritten()
    {
        var (workload, runId) = NewRun();
        await _storage.Artifacts.PutAsync(workload, runId, "report.md", Encoding.UTF8.GetBytes("old, longer content"), "text/markdown", CancellationToken.None);

        await _storage.Artifacts.PutAsync(workload, runId, "report.md", Encoding.UTF8.GetBytes("new"), "text/markdown; charset=utf-8", CancellationToken.None);

        Assert.Equal("new", Encoding.UTF8.GetString((await _storage.Artifacts.GetAsync(workload, runId, "report.md", CancellationToken.None))!));
        Assert.Equal("text/markdown; charset=utf-8", (await _storage.ArtifactStore.GetPropertiesAsync(workload, runId, "report.md", CancellationToken.None))?.ContentType);
        Assert.Single(await _storage.Artifacts.ListAsync(workload, runId, "", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_Prefix_ReturnsRunRelativeNamesOfThatRunOnly()
    {
        var (workload, runId) = NewRun();
        var otherRun = AzuriteFixture.NewRunId();
        foreach (var name in new[] { "histograms/round-1.hdr", "histograms/round-2.hdr", "timeline.json" })
        {
            await _storage.Artifacts.PutAsync(workload, runId, name, new byte[] { 0 }, "application/octet-stream", CancellationToken.None);
        }

        await _storage.Artifacts.PutAsync(workload, otherRun, "histograms/round-1.hdr", new byte[] { 0 }, "application/octet-stream", CancellationToken.None);

        Assert.Equal(["histograms/round-1.hdr", "histograms/round-2.hdr"], await _storage.Artifacts.ListAsync(workload, runId, "histograms/", CancellationToken.None));
        Assert.Equal(3, (await _storage.Artifacts.ListAsync(workload, runId, "", CancellationToken.None)).Count);
        Assert.Empty(await _storage.Artifacts.ListAsync(workload, runId, "probes", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_MissingArtifactOrContainer_ReturnsNull()
    {
        var (workload, runId) = NewRun();
        Assert.Null(await _storage.Artifacts.GetAsync(workload, runId, "nothing.json", CancellationToken.None));

        // A fresh layout whose container was never created.
        var isolated = azurite.CreateIsolatedStorage();
        Assert.Null(await isolated.Artifacts.GetAsync(workload, runId, "summary.json", CancellationToken.None));
        Assert.Empty(await isolated.Artifacts.ListAsync(workload, runId, "", CancellationToken.None));
    }

    [Fact]
    public void DescribeLocation_Azurite_IsTheRunFolderUrlWithoutTheKey()
    {
        var (workload, runId) = NewRun();

        var location = _storage.Artifacts.DescribeLocation(workload, runId);

        Assert.EndsWith($"/{DevelopmentStorage.AccountName}/yardstick-runs/{workload}/{runId}/", location, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", location, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentStorage.AccountKey, location, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeLocation_SasConnection_HasNoSignature()
    {
        const string Sas = "sv=2024-11-04&ss=bt&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=SECRETSIGNATURE%3D";
        var connection = StorageConnection.Parse(
            $"BlobEndpoint=https://acct.blob.core.windows.net/;TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature={Sas}");
        var store = YardstickStorage.Create(connection).Artifacts;

        var location = store.DescribeLocation("hello", AzuriteFixture.NewRunId());

        Assert.StartsWith("https://acct.blob.core.windows.net/yardstick-runs/hello/", location, StringComparison.Ordinal);
        Assert.DoesNotContain("sig", location, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("?", location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape.json")]
    [InlineData("a//b")]
    [InlineData("/abs")]
    [InlineData("back\\slash")]
    [InlineData("")]
    public async Task PutAsync_NameLeavingTheRunFolder_ThrowsInputException(string name)
    {
        var (workload, runId) = NewRun();
        var error = await Assert.ThrowsAsync<InputException>(() => _storage.Artifacts.PutAsync(workload, runId, name, new byte[] { 1 }, "text/plain", CancellationToken.None));
        Assert.Equal("artifact", error.Field);
    }

    [Fact]
    public async Task PutAsync_WorkloadWithSlash_ThrowsInputExceptionNamingWorkload()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => _storage.Artifacts.PutAsync("a/b", AzuriteFixture.NewRunId(), "x", new byte[] { 1 }, "text/plain", CancellationToken.None));
        Assert.Equal("workload", error.Field);
    }

    [Fact]
    public async Task PutAsync_ReservedCalibrationFolder_IsAcceptedBesideTheRuns()
    {
        var workload = AzuriteFixture.UniqueName("wl");

        await _storage.Artifacts.PutAsync(workload, ArtifactFolders.Calibration, "latest.json", "{}"u8.ToArray(), "application/json", CancellationToken.None);

        Assert.Equal("{}"u8.ToArray(), await _storage.Artifacts.GetAsync(workload, ArtifactFolders.Calibration, "latest.json", CancellationToken.None));
        var container = _storage.Connection.CreateBlobServiceClient().GetBlobContainerClient("yardstick-runs");
        Assert.True((await container.GetBlobClient($"{workload}/_calibration/latest.json").ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("_other")]
    [InlineData("latest")]
    public async Task PutAsync_NeitherRunIdNorReservedFolder_ThrowsInputExceptionNamingRunId(string folder)
    {
        var error = await Assert.ThrowsAsync<InputException>(() => _storage.Artifacts.PutAsync(AzuriteFixture.UniqueName("wl"), folder, "x", new byte[] { 1 }, "text/plain", CancellationToken.None));
        Assert.Equal("runId", error.Field);
    }

    private static (string Workload, string RunId) NewRun() => (AzuriteFixture.UniqueName("wl"), AzuriteFixture.NewRunId());
}
