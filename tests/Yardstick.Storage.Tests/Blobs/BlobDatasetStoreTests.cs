using System.Security.Cryptography;
using System.Text;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;
using Yardstick.Storage.Blobs;
using Yardstick.Core.Workloads;
using Yardstick.Testing;
using Xunit.Abstractions;

namespace Yardstick.Storage.Tests.Blobs;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobDatasetStoreTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Csv = "id,name\n1,Ada\n2,Grace\n3,\"Hopper, G\"\n";

    private readonly YardstickStorage _storage = azurite.CreateIsolatedStorage();

    private async Task<DatasetBlob> PushAsync(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var info = DatasetFiles.Describe(new MemoryStream(bytes), DatasetBlobNames.Prefix + name, DatasetReader.IsJsonLines(name));
        return await _storage.Datasets.PutAsync(name, new MemoryStream(bytes), info, CancellationToken.None);
    }

    private static string ReadAll(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task PutAsync_ThenGetAsync_KeepsSha256RowsColumnsAndSizeAsMetadataInTheDatasetsContainer()
    {
        var pushed = await PushAsync("team/users.csv", Csv);

        var blob = await _storage.Datasets.GetAsync("team/users.csv", CancellationToken.None);

        Assert.NotNull(blob);
        Assert.Equal(pushed.ETag, blob.ETag);
        var info = blob.Info!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Csv))), info.Sha256);
        Assert.Equal(3, info.Rows);
        Assert.Equal(Encoding.UTF8.GetByteCount(Csv), info.Bytes);
        Assert.Equal(["id", "name"], info.Columns);
        var container = _storage.Connection.CreateBlobServiceClient().GetBlobContainerClient(_storage.Layout.DatasetsContainer);
        Assert.EndsWith("-datasets", container.Name, StringComparison.Ordinal);
        Assert.True((await container.GetBlobClient("team/users.csv").ExistsAsync()).Value);
    }

    [Fact]
    public async Task OpenRead_AtItsETag_StreamsTheContent()
    {
        var pushed = await PushAsync("users.csv", Csv);

        Assert.Equal(Csv, ReadAll(_storage.Datasets.OpenRead("users.csv", pushed.ETag)));
    }

    [Fact]
    public async Task OpenRead_ReplacedSinceThePlan_ThrowsDatasetChangedNamingDataBlob()
    {
        var planned = await PushAsync("moving.csv", Csv);
        await PushAsync("moving.csv", Csv + "4,Barbara\n");

        var e = Assert.Throws<DatasetChangedException>(() => ReadAll(_storage.Datasets.OpenRead("moving.csv", planned.ETag)));

        Assert.Equal("data.blob", e.Field);
        Assert.Contains("'datasets/moving.csv' changed after the run was planned", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_ReplacedWhileBeingRead_TheNextRangeThrowsDatasetChanged()
    {
        // 3 MiB: more than one ranged GET of ReadBufferBytes, so the stream must come back for more after the change.
        var big = "id,pad\n" + string.Concat(Enumerable.Range(0, 3 * 1024 * 1024 / 64).Select(i => $"{i},{new string('x', 56)}\n"));
        var planned = await PushAsync("big.csv", big);
        using var stream = _storage.Datasets.OpenRead("big.csv", planned.ETag);
        var buffer = new byte[64 * 1024];
        Assert.True(stream.Read(buffer) > 0);

        await PushAsync("big.csv", "id,pad\n1,x\n");

        Assert.Throws<DatasetChangedException>(() =>
        {
            while (stream.Read(buffer) > 0)
            {
            }
        });
    }

    [Fact]
    public async Task GetAsync_Missing_IsNull_AndListHasOnlyThisContainersDatasets()
    {
        Assert.Null(await _storage.Datasets.GetAsync("nothing-here.csv", CancellationToken.None));
        Assert.Empty(await _storage.Datasets.ListAsync(CancellationToken.None));

        await PushAsync("a.csv", Csv);
        await PushAsync("b.jsonl", "{\"id\":1}\n{\"id\":2}\n");
        await _storage.Artifacts.PutAsync("w", AzuriteFixture.NewRunId(), "c.csv", Encoding.UTF8.GetBytes(Csv), "text/csv", CancellationToken.None);

        var list = await _storage.Datasets.ListAsync(CancellationToken.None);

        Assert.Equal(["a.csv", "b.jsonl"], list.Select(d => d.Name));
        Assert.Equal([3L, 2L], list.Select(d => d.Info!.Rows));
    }

    [Fact]
    public async Task GetAsync_UploadedWithoutYardstick_HasNoInfo()
    {
        var container = _storage.Connection.CreateBlobServiceClient().GetBlobContainerClient(_storage.Layout.DatasetsContainer);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("plain.csv").UploadAsync(BinaryData.FromString(Csv));

        var blob = await _storage.Datasets.GetAsync("plain.csv", CancellationToken.None);

        Assert.NotNull(blob);
        Assert.Null(blob.Info);
        Assert.Equal(Encoding.UTF8.GetByteCount(Csv), blob.Bytes);
    }

    [Theory]
    [InlineData("../yardstick-runs/x.csv")]
    [InlineData("https://elsewhere.example/x.csv")]
    [InlineData("a/../../x.csv")]
    public async Task Store_NameLeavingTheContainer_IsRefusedBeforeAnyCall(string name)
    {
        Assert.Equal("data.blob", (await Assert.ThrowsAsync<InputException>(() => _storage.Datasets.GetAsync(name, CancellationToken.None))).Field);
        Assert.Equal("data.blob", Assert.Throws<InputException>(() => _storage.Datasets.OpenRead(name, "\"0x1\"")).Field);
    }
    /// <summary>
    /// A 32 MB JSON Lines blob streams through a shard's rows with flat managed memory (1 MiB ranged reads): the figure is
    /// printed (and in the README); the bound only catches loading the blob whole.
    /// </summary>
    [Fact]
    public async Task OpenRead_32MegabyteBlob_ThroughDatasetRows_ManagedMemoryStaysFarBelowTheBlobSize()
    {
        var path = Path.Combine(Path.GetTempPath(), $"yardstick-blob-{Guid.NewGuid():N}.jsonl");
        try
        {
            long written = 0;
            using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16))
            {
                var padding = new string('p', 160);
                while (writer.BaseStream.Length < 32L * 1024 * 1024)
                {
                    writer.Write($"{{\"id\":{written++},\"pad\":\"{padding}\"}}\n");
                }
            }

            var info = DatasetFiles.Describe(path, "datasets/big.jsonl");
            DatasetBlob pushed;
            await using (var content = File.OpenRead(path))
            {
                pushed = await _storage.Datasets.PutAsync("big.jsonl", content, info, CancellationToken.None);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            long read = 0;
            using (var rows = new DatasetRows(() => new DatasetReader(_storage.Datasets.OpenRead("big.jsonl", pushed.ETag), "datasets/big.jsonl", jsonl: true), new DataSpec { Blob = "datasets/big.jsonl", OnExhausted = DataExhaustion.Stop }, 0, 1, seed: 1))
            {
                var buffer = new DataRowBuffer(rows.Columns.Count);
                while (rows.TryRead(read, buffer))
                {
                    if (++read % 20_000 == 0)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
                    }
                }
            }

            output.WriteLine($"{info.Bytes / (1024.0 * 1024):F1} MB, {read} rows; peak managed growth while streaming the blob: {peak / 1024.0:F0} KiB");
            Assert.Equal(written, read);
            Assert.True(peak < info.Bytes / 4, $"managed memory grew by {peak} bytes streaming a {info.Bytes}-byte blob");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
