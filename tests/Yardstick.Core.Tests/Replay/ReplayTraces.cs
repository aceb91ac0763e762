using System.Globalization;
using System.Text;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>Trace text for tests.</summary>
internal static class ReplayTraces
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static string Line(TimeSpan offset, string path, string method = "GET", string? name = null, string? body = null)
    {
        var t = (Start + offset).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var json = new StringBuilder($"{{\"t\":\"{t}\",\"method\":\"{method}\",\"path\":\"{path}\"");
        if (name is not null)
        {
            json.Append($",\"name\":\"{name}\"");
        }

        if (body is not null)
        {
            json.Append(",\"body\":").Append(System.Text.Json.JsonSerializer.Serialize(body));
        }

        return json.Append('}').ToString();
    }

    /// <summary><paramref name="count"/> arrivals at irregular offsets over about <paramref name="count"/> × 7 ms, four endpoints, some with bodies.</summary>
    public static string Irregular(int count)
    {
        var text = new StringBuilder();
        var offset = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            offset += TimeSpan.FromTicks(((i * 7919) % 13) * 10_000 + 1234); // 0–12 ms gaps, some equal offsets
            text.AppendLine((i % 4) switch
            {
                0 => Line(offset, $"/api/items?page={i}", name: "GET /api/items"),
                1 => Line(offset, "/api/hello"),
                2 => Line(offset, $"/api/echo/orders/{i}", "POST", "POST /api/echo/orders", $"{{\"order\":{i}}}"),
                _ => Line(offset, $"/api/echo/x{i}", "PUT"),
            });
        }

        return text.ToString();
    }

    public static Func<Stream> Opener(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return () => new MemoryStream(bytes, writable: false);
    }

    public static TraceSummary Describe(string text, double speed = 1.0, TraceWindow? window = null) =>
        TraceDescription.Describe(new MemoryStream(Encoding.UTF8.GetBytes(text)), "traces/test.jsonl", speed, window);

    public static List<TraceRecord> Records(string text)
    {
        using var reader = new TraceReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        return reader.ReadAll().ToList();
    }
}
