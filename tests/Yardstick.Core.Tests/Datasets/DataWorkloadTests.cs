using Yardstick.Core.Datasets;
using Yardstick.Core.Tests.Workloads;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Datasets;

/// <summary><c>data:</c> in a workload file: mapping, the dataset's path and the columns <c>${data.x}</c> names.</summary>
public sealed class DataWorkloadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ys-data-").FullName;

    public DataWorkloadTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        File.WriteAllText(Path.Combine(_folder, "data", "users.csv"), "id,name\n1,Ada\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string data, string url = "/api/users/${data.id}", string body = "{\"n\":\"${data.name}\"}")
    {
        var path = Path.Combine(_folder, "w.yaml");
        File.WriteAllText(path, $$"""
            name: data-test
            target: { url: "http://127.0.0.1:5080/api/hello" }
            {{data}}
            requests:
              - { name: get, url: "{{url}}", headers: { x-user: "${data.name}" } }
              - { name: post, method: POST, url: /api/users, body: '{{body}}' }
            load: { rate: 10/s, duration: 1s }
            """);
        return path;
    }

    private static IReadOnlyList<WorkloadError> Errors(string path) =>
        Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(path, null, TestWorkloads.Environment)).Errors;

    [Fact]
    public void LoadFile_FullDataBlock_MapsEveryField()
    {
        var w = WorkloadLoader.LoadFile(Write("data: { file: data/users.csv, mode: random, seed: 7, onExhausted: stop }"), null, TestWorkloads.Environment);

        Assert.Equal(new DataSpec { File = "data/users.csv", Mode = DataMode.Random, Seed = 7, OnExhausted = DataExhaustion.Stop }, w.Data);
        Assert.Equal(DataExhaustion.Stop, w.Data!.Exhaustion);
    }

    [Fact]
    public void LoadFile_Defaults_SequentialWrapsUniqueStops()
    {
        var sequential = WorkloadLoader.LoadFile(Write("data: { file: data/users.csv }"), null, TestWorkloads.Environment).Data!;
        var unique = WorkloadLoader.LoadFile(Write("data: { file: data/users.csv, mode: unique }"), null, TestWorkloads.Environment).Data!;

        Assert.Equal((DataMode.Sequential, DataExhaustion.Wrap), (sequential.Mode, sequential.Exhaustion));
        Assert.Equal(DataExhaustion.Stop, unique.Exhaustion);
    }

    [Fact]
    public void LoadFile_UnknownColumnInUrlAndBody_NamesEachFieldTheFileAndItsColumns()
    {
        var errors = Errors(Write("data: { file: data/users.csv }", url: "/api/users/${data.userId}", body: "{\"n\":\"${data.nick}\"}"));

        Assert.Contains(errors, e => e.Path == "requests[0].url" && e.Message == "${data.userId} is not a column of data/users.csv (columns: id, name).");
        Assert.Contains(errors, e => e.Path == "requests[1].body" && e.Message.StartsWith("${data.nick} is not a column", StringComparison.Ordinal));
        Assert.Equal(2, errors.Count);
    }

    [Theory]
    [InlineData("data: { file: data/missing.csv }", "data.file", "does not exist")]
    [InlineData("data: { file: ../outside.csv }", "data.file", "leaves the workload file's folder")]
    [InlineData("data: { file: data/../../outside.csv }", "data.file", "leaves the workload file's folder")]
    [InlineData("data: { file: /etc/passwd.csv }", "data.file", "is absolute")]
    [InlineData("data: { file: data/users.txt }", "data.file", "neither .csv nor .jsonl")]
    [InlineData("data: { file: data/users.csv, blob: datasets/users.csv }", "data", "exactly one of file")]
    [InlineData("data: { mode: random }", "data", "exactly one of file")]
    [InlineData("data: { blob: users.jsonl }", "data.blob", "is not in datasets/")]
    [InlineData("data: { blob: \"https://evil.example/datasets/x.csv\" }", "data.blob", "is a URL")]
    [InlineData("data: { blob: datasets/../yardstick-runs/x.csv }", "data.blob", "'..' segment")]
    [InlineData("data: { file: data/users.csv, mode: shuffled }", "data.mode", "")]
    [InlineData("data: { file: data/users.csv, onExhausted: loop }", "data.onExhausted", "")]
    [InlineData("data: { file: data/users.csv, rows: 3 }", "data.rows", "")]
    public void LoadFile_BadDataBlock_NamesTheField(string data, string path, string message)
    {
        var errors = Errors(Write(data));

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_MalformedDatasetHeader_NamesDataFile()
    {
        File.WriteAllText(Path.Combine(_folder, "data", "bad.csv"), "id,id\n1,2\n");

        var errors = Errors(Write("data: { file: data/bad.csv }"));

        Assert.Contains(errors, e => e.Path == "data.file" && e.Message.Contains("appears twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_RelativeToTheWorkloadFolder_AndRefusesEscapes()
    {
        Assert.Equal(Path.Combine(_folder, "data", "users.csv"), DatasetFiles.Resolve(_folder, "data/users.csv"));
        Assert.Equal("data.file", Assert.Throws<InputException>(() => DatasetFiles.Resolve(Path.Combine(_folder, "data"), "../data/users.csv")).Field);
    }

    [Fact]
    public void LoadText_WithoutAFolder_ChecksTheShapeOnly()
    {
        // The API and the planning activity load text with no folder: the shard opens the file, relative to the workload's.
        var w = WorkloadLoader.LoadText(File.ReadAllText(Write("data: { file: data/elsewhere.csv }")), "w.yaml", null, TestWorkloads.Environment);

        Assert.Equal("data/elsewhere.csv", w.Data!.File);
    }

    [Fact]
    public void Describe_HashRowsAndSize_OfTheWholeFile()
    {
        var path = Path.Combine(_folder, "data", "users.csv");
        var info = DatasetFiles.Describe(path, "data/users.csv");

        Assert.Equal(1, info.Rows);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), info.Sha256);
        Assert.Equal(["id", "name"], info.Columns);
    }

    [Fact]
    public void ShippedExample_MixLocal_ValidatesAndNamesItsDataset()
    {
        var w = TestWorkloads.LoadExample("mix-local.yaml");

        Assert.Equal("data/users.csv", w.Data!.File);
        Assert.Equal(DataMode.Unique, w.Data.Mode);
        Assert.True(DatasetFiles.Describe(DatasetFiles.Resolve(w.SourceDirectory, w.Data.File!), w.Data.File!).Rows >= 8);
    }
}
