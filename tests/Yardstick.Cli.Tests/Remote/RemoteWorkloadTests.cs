using Yardstick.Cli.Remote;
using Yardstick.Core;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Tests.Remote;

public sealed class RemoteWorkloadTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("yardstick-remote-workload-");

    [Theory]
    [InlineData("url: \"${env:YARDSTICK_TEST_UNSET_URL}\"")]
    [InlineData("url: \"https://${env:YARDSTICK_TEST_UNSET_APP}.azurewebsites.net/api/hello\"")]
    [InlineData("url: \"https://app.example.net:${env:YARDSTICK_TEST_UNSET_PORT}/api/hello\"")]
    [InlineData("url: \"https://app.example.net/api/hello?code=${env:YARDSTICK_TEST_UNSET_KEY}\"")]
    public void Prepare_ReferencesToVariablesOnlyTheServerHas_AreNotRequiredHere(string urlLine)
    {
        var file = Write($"name: ref-test\ntarget:\n  {urlLine}\n  headers: {{ Authorization: \"Bearer ${{env:YARDSTICK_TEST_UNSET_TOKEN}}\" }}\nload: {{ rate: 1/s, duration: 1s }}\n");

        var prepared = RemoteWorkload.Prepare(file, [], new Dictionary<string, string>(), null);

        Assert.Equal("ref-test", prepared.Workload.Name);
        // Sent as written: the server resolves the references.
        Assert.Contains("${env:YARDSTICK_TEST_UNSET_TOKEN}", prepared.Body.WorkloadText, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_InvalidWorkload_ListsEveryProblem()
    {
        var file = Write("name: Bad Name\ntarget: { url: \"not a url\" }\nload: { rate: 1/s, duration: 1s }\n");

        var e = Assert.Throws<WorkloadValidationException>(() => RemoteWorkload.Prepare(file, [], new Dictionary<string, string>(), null));

        Assert.Contains(e.Errors, x => x.Path == "name");
        Assert.Contains(e.Errors, x => x.Path == "target.url");
    }

    [Fact]
    public void Prepare_BadOverride_IsRefusedLocally()
    {
        var file = Write("name: ok\ntarget: { url: \"http://127.0.0.1:5080/\" }\nload: { rate: 1/s, duration: 1s }\n");

        var e = Assert.ThrowsAny<InputException>(() => RemoteWorkload.Prepare(file, ["load.rate=lots"], new Dictionary<string, string>(), null));

        Assert.Contains("load.rate", e.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_MissingFile_IsInputError()
    {
        var e = Assert.Throws<InputException>(() => RemoteWorkload.Prepare(new FileInfo(Path.Combine(_temp.FullName, "none.yaml")), [], new Dictionary<string, string>(), null));

        Assert.Equal("file", e.Field);
    }

    [Fact]
    public void Prepare_TagsFromSetAndTag_AreMergedTagWinning()
    {
        var file = Write("name: ok\ntarget: { url: \"http://127.0.0.1:5080/\" }\nload: { rate: 1/s, duration: 1s }\n");

        var prepared = RemoteWorkload.Prepare(
            file,
            ["tags.commit=abc123", "tags.team=perf", "load.rate=2/s"],
            new Dictionary<string, string> { ["team"] = "platform", ["pipeline"] = "42" },
            " current ");

        Assert.Equal(new Dictionary<string, string> { ["commit"] = "abc123", ["team"] = "platform", ["pipeline"] = "42" }, prepared.Body.Tags);
        Assert.Equal(["tags.commit=abc123", "tags.team=perf", "load.rate=2/s"], prepared.Body.Overrides);
        Assert.Equal("current", prepared.Body.Baseline);
        Assert.Null(prepared.Body.Workload);
    }

    public void Dispose()
    {
        try
        {
            _temp.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Harmless leftover.
        }
    }

    private FileInfo Write(string text)
    {
        var file = new FileInfo(Path.Combine(_temp.FullName, $"w{Guid.NewGuid():N}.yaml"));
        File.WriteAllText(file.FullName, text);
        return file;
    }
}

public sealed class RemoteEndpointTests
{
    [Theory]
    [InlineData("https://app.azurewebsites.net", "https://app.azurewebsites.net/api/runs")]
    [InlineData("https://app.azurewebsites.net/", "https://app.azurewebsites.net/api/runs")]
    [InlineData("https://app.azurewebsites.net/api", "https://app.azurewebsites.net/api/runs")]
    [InlineData("https://gw.example.net/yardstick/", "https://gw.example.net/yardstick/api/runs")]
    [InlineData("http://127.0.0.1:7071", "http://127.0.0.1:7071/api/runs")]
    [InlineData("http://localhost:7071", "http://localhost:7071/api/runs")]
    public void Parse_AcceptedEndpoints_BuildTheRunsRoute(string endpoint, string runs)
    {
        Assert.Equal(runs, RemoteEndpoint.Parse(endpoint).Runs.AbsoluteUri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app.azurewebsites.net")]
    [InlineData("http://app.azurewebsites.net")]
    [InlineData("http://10.0.0.4:7071")]
    [InlineData("https://user:pw@app.azurewebsites.net")]
    [InlineData("https://app.azurewebsites.net/?code=secret")]
    public void Parse_RefusedEndpoints_AreInputErrorsOnTheOption(string endpoint)
    {
        var e = Assert.Throws<InputException>(() => RemoteEndpoint.Parse(endpoint));

        Assert.Equal("--endpoint", e.Field);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ForeignOrigin_IsRebasedOntoTheEndpoint()
    {
        var endpoint = RemoteEndpoint.Parse("https://app.azurewebsites.net");

        Assert.Equal("https://app.azurewebsites.net/api/runs/r1", endpoint.Resolve("https://evil.example/api/runs/r1").AbsoluteUri);
        Assert.Equal("https://app.azurewebsites.net/api/runs/r1", endpoint.Resolve("/api/runs/r1").AbsoluteUri);
        Assert.Equal("https://app.azurewebsites.net/api/runs/r1?x=1", endpoint.Resolve("https://APP.azurewebsites.net/api/runs/r1?x=1").AbsoluteUri);
    }
}
