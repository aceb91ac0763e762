using System.Text.Json;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Measurements;

public sealed class BusyIntervalCodecTests
{
    [Fact]
    public void Encode_ARequestPerIntervalHour_RoundTripsExactly_InAFewBytesPerInterval()
    {
        // What a long run against an idle-between-requests instance stores: one interval per request, ~5 ms long,
        // ~10 ms apart, for an hour at 100 req/s.
        var rng = new Random(5);
        var intervals = new List<BusyInterval>();
        var t = 1_767_225_600_000_000L;
        for (var i = 0; i < 360_000; i++)
        {
            t += rng.Next(2_000, 18_000);
            var end = t + rng.Next(1_000, 9_000);
            intervals.Add(new BusyInterval(t, end));
            t = end;
        }

        var text = BusyIntervalCodec.Encode(intervals);

        Assert.Equal(intervals, BusyIntervalCodec.Decode(text));
        var json = JsonSerializer.Serialize(intervals, YardstickJson.Options);
        Assert.True(text.Length * 10 < json.Length, $"encoded {text.Length} chars against the JSON array's {json.Length}");
        Assert.True(text.Length < intervals.Count * 8, $"{(double)text.Length / intervals.Count:0.0} chars per interval");
    }

    [Fact]
    public void Encode_UnsortedOverlappingAndExtremeValues_RoundTripExactly()
    {
        BusyInterval[] intervals =
        [
            new(long.MaxValue - 5, long.MaxValue),
            new(long.MinValue, long.MinValue + 1),
            new(500, 100),
            new(0, 0),
            new(-1_000, 1_000),
            new(-1_000, 1_000),
            new(long.MinValue, long.MaxValue),
        ];

        Assert.Equal(intervals, BusyIntervalCodec.Decode(BusyIntervalCodec.Encode(intervals)));
        Assert.Empty(BusyIntervalCodec.Decode(BusyIntervalCodec.Encode([])));
    }

    [Fact]
    public void InstanceUsage_StoresEncodedText_AndStillReadsTheOlderArrayForm()
    {
        var usage = new InstanceUsage { InstanceId = "i-1", Requests = 3, MaxConcurrency = 2, Busy = [new(10, 20), new(30, 45)] };

        var json = YardstickJson.Serialize(usage);
        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("busy").ValueKind);
        }

        Assert.Equal(usage.Busy, YardstickJson.Deserialize<InstanceUsage>(json).Busy);

        const string older = """{"instanceId":"i-1","requests":3,"busy":[{"startUnixMicros":10,"endUnixMicros":20},{"startUnixMicros":30,"endUnixMicros":45}]}""";
        Assert.Equal(usage.Busy, YardstickJson.Deserialize<InstanceUsage>(older).Busy);
    }

    [Theory]
    [InlineData("\"v2:AAAA\"")]
    [InlineData("\"v1:not base64!\"")]
    [InlineData("\"v1:AAAA\"")]
    [InlineData("42")]
    public void Read_DamagedText_IsAJsonError(string busy)
    {
        var json = $$"""{"instanceId":"i-1","busy":{{busy}}}""";

        Assert.ThrowsAny<JsonException>(() => YardstickJson.Deserialize<InstanceUsage>(json));
    }

    [Fact]
    public void Decode_ACountBeyondTheBytes_IsRefusedBeforeAllocating()
    {
        // count = 2^40 (varint), then nothing: must not try to allocate a trillion intervals.
        byte[] raw = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20];
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var text = "v1:" + Convert.ToBase64String(output.ToArray());

        var e = Assert.Throws<FormatException>(() => BusyIntervalCodec.Decode(text));
        Assert.Contains("claim", e.Message, StringComparison.Ordinal);
    }
}
