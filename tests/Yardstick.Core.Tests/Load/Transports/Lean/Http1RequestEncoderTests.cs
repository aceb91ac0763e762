using System.Text;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

public sealed class Http1RequestEncoderTests
{
    [Theory]
    [InlineData("http://127.0.0.1/", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("http://127.0.0.1:80/a?b=c", "GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("https://localhost:443/x", "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("https://localhost:8443/x#fragment", "GET /x HTTP/1.1\r\nHost: localhost:8443\r\n\r\n")]
    [InlineData("http://[::1]:5080/api/hello", "GET /api/hello HTTP/1.1\r\nHost: [::1]:5080\r\n\r\n")]
    [InlineData("http://127.0.0.1:5080", "GET / HTTP/1.1\r\nHost: 127.0.0.1:5080\r\n\r\n")]
    public void Encode_Get_RequestLineAndHostWithPortOnlyWhenNotDefault(string url, string expected)
    {
        var bytes = Http1RequestEncoder.Encode(new RequestTemplate { Method = "GET", Url = url }, new Uri(url));

        Assert.Equal(expected, Encoding.ASCII.GetString(bytes));
    }

    [Theory]
    [InlineData("POST", null, "Content-Length: 0\r\n\r\n")]
    [InlineData("POST", "hi", "Content-Length: 2\r\n\r\nhi")]
    [InlineData("DELETE", "", "Content-Length: 0\r\n\r\n")]
    [InlineData("DELETE", null, "Host: h\r\n\r\n")]
    public void Encode_Body_ContentLengthAndBodyLast(string method, string? body, string expectedEnd)
    {
        var bytes = Http1RequestEncoder.Encode(new RequestTemplate { Method = method, Url = "http://h/", Body = body }, new Uri("http://h/"));

        Assert.EndsWith(expectedEnd, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_TemplateHostHeader_ReplacesTheGeneratedOne()
    {
        var template = new RequestTemplate { Method = "GET", Url = "http://127.0.0.1:81/", Headers = [new HeaderValue("host", "app.example")] };

        var text = Encoding.ASCII.GetString(Http1RequestEncoder.Encode(template, new Uri(template.Url)));

        Assert.Equal("GET / HTTP/1.1\r\nhost: app.example\r\n\r\n", text);
    }

    [Theory]
    [InlineData("x-evil", "a\r\nInjected: yes", "target.headers.x-evil")]
    [InlineData("x-unicode", "caf\u00e9", "target.headers.x-unicode")]
    [InlineData("bad name", "v", "target.headers.bad name")]
    [InlineData("Content-Length", "3", "target.headers.Content-Length")]
    [InlineData("Transfer-Encoding", "chunked", "target.headers.Transfer-Encoding")]
    public void Encode_UnsendableHeader_InputExceptionNamingTheFieldNotTheValue(string name, string value, string field)
    {
        var template = new RequestTemplate { Method = "GET", Url = "http://h/", Headers = [new HeaderValue(name, value)] };

        var error = Assert.Throws<InputException>(() => Http1RequestEncoder.Encode(template, new Uri(template.Url)));

        Assert.Equal(field, error.Field);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_MethodWithSpace_InputException()
    {
        var error = Assert.Throws<InputException>(() =>
            Http1RequestEncoder.Encode(new RequestTemplate { Method = "GET /evil", Url = "http://h/" }, new Uri("http://h/")));

        Assert.Equal("target.method", error.Field);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("head", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void IsIdempotent_Method_AsRfc9110(string method, bool expected) =>
        Assert.Equal(expected, Http1RequestEncoder.IsIdempotent(method));

    [Theory]
    [InlineData("app;dur=12.5")]
    [InlineData("db;desc=\"x\", app;DUR=0.042")]
    [InlineData("cache;desc=miss")]
    [InlineData("app;dur=")]
    [InlineData("app;dur=1.2.3")]
    [InlineData("app;dur=7e3")]
    [InlineData("dur=3")]
    public void TryFindServerTimingDuration_Bytes_AgreesWithTheStringParser(string header)
    {
        // Reference: ServerTiming.TryParseDuration, the string parser HandlerHttpTransport uses; results must be identical.
        Http1ResponseParser.TryFindServerTimingDuration(Encoding.ASCII.GetBytes(header), out var fromBytes);

        Assert.Equal(ServerTiming.TryParseDuration(header), fromBytes);
    }
}
