using System.Text;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Tests.Load.Requests;

public sealed class RequestCatalogTests
{
    private static string Render(RequestCatalog catalog, int request = 0, long sequence = 0, long row = 0)
    {
        var writer = new RequestWriter(catalog);
        Assert.True(writer.Render(new ExchangeRequest(request, sequence, row, 0), out var bytes, out _));
        return Encoding.UTF8.GetString(bytes.Span);
    }

    [Theory]
    [InlineData("GET", "http://127.0.0.1:5080/api/hello?x=1", null)]
    [InlineData("POST", "http://[::1]/a b", "{\"a\":1}")]
    [InlineData("PUT", "https://localhost:8443/x", null)]
    public void Compile_NothingVaries_StaticBytesEqualTheEncoders(string method, string url, string? body)
    {
        var template = new RequestTemplate { Method = method, Url = url, Body = body, Headers = [new HeaderValue("Accept", "text/plain")] };

        var catalog = RequestCatalog.Single(template);

        Assert.Equal(Http1RequestEncoder.Encode(template, new Uri(url)), catalog.Compiled[0].StaticBytes);
        Assert.Equal(Encoding.ASCII.GetString(Http1RequestEncoder.Encode(template, new Uri(url))), Render(catalog));
    }

    [Fact]
    public void Render_Correlation_TraceparentWithTheRunPrefixAndTheRunHeader()
    {
        var catalog = RequestCatalog.Compile(
            [new RequestTemplate { Method = "GET", Url = "http://127.0.0.1:5080/api/hello" }],
            new RequestCatalogOptions { CorrelationRunId = "20261129-114817-46470d", TraceSeed = 3 });

        var first = Render(catalog, sequence: 0);
        var second = Render(catalog, sequence: 1);

        Assert.Contains("\r\ntraceparent: 00-062ec25d7323dea7", first, StringComparison.Ordinal);
        Assert.Contains("\r\nx-yardstick-run: 20261129-114817-46470d\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal(first.Length, second.Length);
    }

    [Fact]
    public void Render_DataHoles_UrlEncodedInTheUrlSanitizedInHeadersJsonEscapedInJsonBodies()
    {
        var rows = new FakeRows(["id", "name", "age", "tag"], [["a/b", "Jo \"x\"\r\nInjected: 1", "42", "vip"]]);
        var template = new RequestTemplate
        {
            Method = "POST",
            Url = "http://127.0.0.1:5080/api/users/${data.id}?q=${data.name}",
            Headers = [new HeaderValue("Content-Type", "application/json"), new HeaderValue("x-user", "${data.name}")],
            Body = "{\"name\": \"${data.name}\", \"age\": ${data.age}, \"tag\": ${data.tag}}",
        };
        var catalog = RequestCatalog.Compile([template], new RequestCatalogOptions { Data = rows });

        var text = Render(catalog);

        var expectedBody = "{\"name\": \"Jo \\\"x\\\"\\r\\nInjected: 1\", \"age\": 42, \"tag\": \"vip\"}";
        Assert.StartsWith("POST /api/users/a%2Fb?q=Jo%20%22x%22%0D%0AInjected%3A%201 HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nx-user: Jo \"x\"  Injected: 1\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(expectedBody)}\r\n\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + expectedBody, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nInjected", text.Split("\r\n\r\n")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EachRowKey_TakesItsRow()
    {
        var rows = new FakeRows(["id"], [["1"], ["2"], ["3"]]);
        var catalog = RequestCatalog.Compile([new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/u/${data.id}" }], new RequestCatalogOptions { Data = rows });

        Assert.StartsWith("GET /u/2 ", Render(catalog, row: 1), StringComparison.Ordinal);
        Assert.StartsWith("GET /u/1 ", Render(catalog, row: 3), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RowExhausted_NothingToSend()
    {
        var rows = new FakeRows(["id"], [["1"]], limit: 1);
        var catalog = RequestCatalog.Compile([new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/u/${data.id}" }], new RequestCatalogOptions { Data = rows });

        Assert.False(new RequestWriter(catalog).Render(new ExchangeRequest(0, 1, 1, 0), out _, out _));
    }

    [Theory]
    [InlineData("http://${data.host}/x", "requests[0].url")]
    [InlineData("http://127.0.0.1:${data.port}/x", "requests[0].url")]
    public void Compile_HoleOutsidePathAndQuery_RefusedSoTheHostNeverVaries(string url, string field)
    {
        var rows = new FakeRows(["host", "port"], [["evil.example", "81"]]);

        var error = Assert.Throws<InputException>(() => RequestCatalog.Compile([new RequestTemplate { Name = "a", Method = "GET", Url = url }], new RequestCatalogOptions { Data = rows }));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Compile_TwoOrigins_RefusedNamingTheSecond()
    {
        var error = Assert.Throws<InputException>(() => RequestCatalog.Compile(
        [
            new RequestTemplate { Name = "a", Method = "GET", Url = "http://127.0.0.1:5080/a" },
            new RequestTemplate { Name = "b", Method = "GET", Url = "http://127.0.0.1:5081/b" },
        ]));

        Assert.Equal("requests[1].url", error.Field);
    }

    [Fact]
    public void Compile_UnknownColumn_RefusedNamingItAndTheColumnsThereAre()
    {
        var rows = new FakeRows(["id"], [["1"]]);

        var error = Assert.Throws<InputException>(() => RequestCatalog.Compile(
            [new RequestTemplate { Name = "a", Method = "GET", Url = "http://127.0.0.1/${data.user}" }], new RequestCatalogOptions { Data = rows }));

        Assert.Equal("requests[0]", error.Field);
        Assert.Contains("'user'", error.Message, StringComparison.Ordinal);
        Assert.Contains("id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_OwnTraceparentWhileCorrelating_RefusedNamingTheHeader()
    {
        var template = new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/", Headers = [new HeaderValue("traceparent", "00-1-2-01")] };

        var error = Assert.Throws<InputException>(() => RequestCatalog.Compile([template], new RequestCatalogOptions { CorrelationRunId = "r" }));

        Assert.Equal("target.headers.traceparent", error.Field);
    }
}
