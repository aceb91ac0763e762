namespace Yardstick.Functions.Tests.TestSupport;

/// <summary>A temporary <c>workloads/</c> folder holding the files a test deploys.</summary>
internal sealed class WorkloadFolder : IDisposable
{
    public WorkloadFolder(IReadOnlyDictionary<string, string> files)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "yardstick-functions-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, name), text);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp folder eventually.
        }
    }
}

/// <summary>Workload texts for the tests. Targets are loopback only; nothing here ever sends load.</summary>
internal static class TestWorkloads
{
    public const string TargetUrl = "http://127.0.0.1:5999/api/hello";

    public static string Valid(string name, string? schedule = null, string url = TargetUrl) =>
        $"""
        name: {name}
        target:
          url: {url}
          method: GET
        load:
          model: open
          rate: 10/s
          duration: 2s
          shards: 1
        {(schedule is null ? "" : "schedule: " + schedule)}
        """;
}
