using System.Text;
using Yardstick.Core.Replay;

namespace Yardstick.Core.Tests.Replay;

public sealed class TracePathsTests
{
    [Theory]
    [InlineData("https://app.azurewebsites.net/api/items", "/api/items")]
    [InlineData("https://app.azurewebsites.net/api/items?page=2&size=10", "/api/items?page=REDACTED&size=REDACTED")]
    [InlineData("http://app:8080/api/items?debug#frag", "/api/items?debug")]
    [InlineData("https://app.azurewebsites.net", "/")]
    [InlineData("https://app.azurewebsites.net//evil.example/x", "/evil.example/x")]
    [InlineData("https://app.azurewebsites.net/a b?q=x y", "/a%20b?q=REDACTED")]
    [InlineData("/api/items?page=2", "/api/items?page=REDACTED")]
    [InlineData("https://app/x?&&a=1&", "/x?a=REDACTED")]
    public void FromUrl_Default_OriginFormWithQueryValuesRedacted(string url, string expected) =>
        Assert.Equal(expected, TracePaths.FromUrl(url, keepQuery: false));

    [Theory]
    [InlineData("https://h/x?page=2&name=a%20b", "/x?page=2&name=a%20b")]
    [InlineData("https://h/x?code=abc&sig=def&key=k&token=t&Signature=s", "/x?code=REDACTED&sig=REDACTED&key=REDACTED&token=REDACTED&Signature=REDACTED")]
    [InlineData("https://h/x?refresh_token=r&clientSecret=c&db-password=p&maxTokens=5", "/x?refresh_token=REDACTED&clientSecret=REDACTED&db-password=REDACTED&maxTokens=5")]
    [InlineData("https://h/x?%63ode=abc", "/x?code=REDACTED")] // an escaped name is still 'code'
    [InlineData("https://h/x?q=a\\b", "/x?q=a%5Cb")]
    public void FromUrl_KeepQuery_KeepsValuesExceptSecretOnes(string url, string expected) =>
        Assert.Equal(expected, TracePaths.FromUrl(url, keepQuery: true));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("ftp://h/x")]
    [InlineData("//h/x")]
    [InlineData("not a url")]
    public void FromUrl_NoUsablePath_Null(string? url) => Assert.Null(TracePaths.FromUrl(url, keepQuery: false));

    [Fact]
    public void FromUrl_OverEightKiB_Null()
    {
        var url = "https://h/" + new string('a', 8 * 1024);

        Assert.Null(TracePaths.FromUrl(url, keepQuery: false));
        Assert.Equal(8 * 1024, TracePaths.FromUrl("https://h/" + new string('a', (8 * 1024) - 1), keepQuery: false)!.Length);
    }

    [Theory]
    [InlineData("GET /api/items", "GET")]
    [InlineData("post /api/orders", "POST")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("Hello", "GET")]
    [InlineData("GETTER /x", "GET")]
    [InlineData(null, "GET")]
    public void MethodFromName_FirstWordWhenAnHttpMethod(string? name, string expected) =>
        Assert.Equal(expected, TracePaths.MethodFromName(name));

    [Fact]
    public async Task TraceFileWriter_LinesInOrder_JsonLinesWithOptionalFieldsOmitted()
    {
        var time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        using var stream = new MemoryStream();
        await using (var writer = new TraceFileWriter(stream, ownsStream: false))
        {
            await writer.WriteAsync(time, "GET", "GET /api/items", "/api/items?page=REDACTED", 200, 12.5, CancellationToken.None);
            await writer.WriteAsync(time, "POST", null, "/api/ö", null, null, CancellationToken.None);
            Assert.Equal(2, writer.Lines);
        }

        Assert.Equal(
            "{\"t\":\"2026-12-01T10:00:00.1234567Z\",\"method\":\"GET\",\"name\":\"GET /api/items\",\"path\":\"/api/items?page=REDACTED\",\"status\":200,\"durationMs\":12.5}\n"
            + "{\"t\":\"2026-12-01T10:00:00.1234567Z\",\"method\":\"POST\",\"path\":\"/api/ö\"}\n",
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task TraceFileWriter_TimeGoingBackwards_Refused()
    {
        var time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        await using var writer = new TraceFileWriter(new MemoryStream());
        await writer.WriteAsync(time, "GET", null, "/a", null, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(time.AddTicks(-1), "GET", null, "/a", null, null, CancellationToken.None).AsTask());

        Assert.Contains("trace line 2", error.Message, StringComparison.Ordinal);
    }
}
