using System.Text;
using System.Text.Json;

namespace Yardstick.SampleTarget;

/// <summary>
/// JSON endpoints for realistic mixes and response checks:
/// <list type="bullet">
/// <item><c>/api/items?count=N</c> (default 3, 0..1000): <c>{"status":"ok","count":N,"items":[{"id":1,"name":"item-1"},…]}</c>;</item>
/// <item><c>/api/echo</c> and <c>/api/echo/…</c>: what the request carried — <c>{"method","path","query","headers":{…},"body"}</c> (header names
/// lowercase; the body as text, at most 64 KiB read) — so tests can see templated values and correlation headers as sent.</item>
/// </list>
/// </summary>
public sealed partial class SampleApp
{
    private const string Json = "application/json; charset=utf-8";
    private const int MaxEchoBodyBytes = 64 * 1024;

    private static Task WriteItemsAsync(HttpContext context, long start)
    {
        var count = QueryInt(context, "count", 3, 0, 1000);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "ok");
            json.WriteNumber("count", count);
            json.WriteStartArray("items");
            for (var i = 1; i <= count; i++)
            {
                json.WriteStartObject();
                json.WriteNumber("id", i);
                json.WriteString("name", "item-" + i);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return WriteAsync(context, start, StatusCodes.Status200OK, buffer.ToArray(), Json);
    }

    private static async Task WriteEchoAsync(HttpContext context, long start)
    {
        var request = context.Request;
        var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (body.Length < MaxEchoBodyBytes && (read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            body.Write(chunk, 0, (int)Math.Min(read, MaxEchoBodyBytes - body.Length));
        }

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("method", request.Method);
            json.WriteString("path", request.Path.Value ?? "/");
            json.WriteString("query", request.QueryString.Value ?? "");
            json.WriteStartObject("headers");
            foreach (var header in request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                json.WriteString(header.Key.ToLowerInvariant(), header.Value.ToString());
            }

            json.WriteEndObject();
            json.WriteString("body", Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
            json.WriteEndObject();
        }

        await WriteAsync(context, start, StatusCodes.Status200OK, buffer.ToArray(), Json);
    }
}
