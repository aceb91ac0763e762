using System.Net;
using System.Text;
using System.Text.Json;

namespace Yardstick.SampleTarget.Tests;

/// <summary>The JSON endpoints used by realistic mixes and response checks.</summary>
public sealed class SampleAppJsonTests
{
    [Theory]
    [InlineData("/api/items", 3)]
    [InlineData("/api/items?count=0", 0)]
    [InlineData("/api/items?count=5000", 1000)]
    public async Task Items_Get_JsonWithStatusOkAndCountItems(string path, int expected)
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri(path, UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(expected, json.RootElement.GetProperty("items").GetArrayLength());
        if (expected > 0)
        {
            Assert.Equal("item-1", json.RootElement.GetProperty("items")[0].GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Echo_Post_ReturnsMethodPathQueryHeadersAndBodyAsReceived()
    {
        await using var target = await RunningTarget.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/echo/x?a=1%202", UriKind.Relative))
        {
            Content = new StringContent("{\"n\":\"é\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await target.Client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.NotFound, (await target.Client.GetAsync(new Uri("/api/echoes", UriKind.Relative))).StatusCode);
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/api/echo/x", root.GetProperty("path").GetString());
        Assert.Equal("?a=1%202", root.GetProperty("query").GetString());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", root.GetProperty("headers").GetProperty("traceparent").GetString());
        Assert.Equal("{\"n\":\"é\"}", root.GetProperty("body").GetString());
    }
}
