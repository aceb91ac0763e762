using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadCatalogTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("yardstick-catalog-");

    public WorkloadCatalogTests()
    {
        Write("one.yaml", TestWorkloads.Minimal.Replace("name: minimal", "name: alpha", StringComparison.Ordinal) + "\nschedule: nightly\n");
        Write("two.json", """{ "name": "beta", "target": { "url": "http://127.0.0.1:1/" }, "load": { "rate": "1/s", "duration": "1s" } }""");
        Write("broken.yaml", TestWorkloads.Minimal.Replace("name: minimal", "name: gamma", StringComparison.Ordinal) + "\n  shards: 0\nschedule: nightly\n");
        Write("syntax.yml", "name: [unclosed\n");
        Write("notes.txt", "not a workload");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "schema"));
        File.WriteAllText(Path.Combine(_dir.FullName, "schema", "ignored.json"), "{}");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void List_Folder_LoadsEveryWorkloadFileAndKeepsErrors()
    {
        var files = WorkloadCatalog.List(_dir.FullName);

        Assert.Equal(["broken.yaml", "one.yaml", "syntax.yml", "two.json"], files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal([null, "alpha", null, "beta"], files.Select(f => f.Workload?.Name));
        Assert.Equal("gamma", files[0].Name);
        Assert.False(files[0].IsValid);
        Assert.NotEmpty(files[0].Errors);
        Assert.Null(files[2].Name);
        Assert.Empty(files[1].Errors);
    }

    [Fact]
    public void Find_ByNameInsideTheFile_NotTheFileName()
    {
        Assert.Equal("beta", WorkloadCatalog.Find(_dir.FullName, "beta").Name);
        Assert.EndsWith("/api/hello", WorkloadCatalog.Find(_dir.FullName, "alpha").Target.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_UnknownName_ListsTheAvailableNames()
    {
        var ex = Assert.Throws<InputException>(() => WorkloadCatalog.Find(_dir.FullName, "alphq"));

        Assert.Equal("workload", ex.Field);
        Assert.Contains("no workload named 'alphq'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'alpha'?", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Available: alpha, beta, gamma.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NameOfAnInvalidFile_ThrowsItsErrors()
    {
        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadCatalog.Find(_dir.FullName, "gamma"));

        Assert.Equal("load.shards", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void Find_DuplicateNames_AreReported()
    {
        Write("three.yaml", TestWorkloads.Minimal.Replace("name: minimal", "name: beta", StringComparison.Ordinal));

        var ex = Assert.Throws<InputException>(() => WorkloadCatalog.Find(_dir.FullName, "beta"));

        Assert.Contains("three.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("two.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheduled_Folder_ReturnsValidScheduledAndCollectsSkipped()
    {
        Write("delta.yaml", TestWorkloads.Minimal.Replace("name: minimal", "name: delta", StringComparison.Ordinal) + "\nschedule: \"0 30 */6 * * *\"\n");
        var skipped = new List<WorkloadFile>();

        var scheduled = WorkloadCatalog.Scheduled(_dir.FullName, skipped).ToList();

        Assert.Equal(["delta", "alpha"], scheduled.Select(w => w.Name));
        Assert.Equal(["0 30 */6 * * *", "nightly"], scheduled.Select(w => w.Schedule));
        Assert.Equal(["broken.yaml", "syntax.yml"], skipped.Select(f => Path.GetFileName(f.Path)));
    }

    [Fact]
    public void List_MissingFolder_IsAnInputError()
    {
        var ex = Assert.Throws<InputException>(() => WorkloadCatalog.List(Path.Combine(_dir.FullName, "nope")));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheduled_RepositoryExamples_NoneIsScheduled()
    {
        // Every example is deployed with the Functions app; a scheduled one would send load the user never asked for.
        var scheduled = WorkloadCatalog.Scheduled(TestWorkloads.ExamplesDirectory, environment: TestWorkloads.Environment);

        Assert.Empty(scheduled);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir.FullName, name), text);
}
