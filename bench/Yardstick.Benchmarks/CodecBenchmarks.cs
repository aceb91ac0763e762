using BenchmarkDotNet.Attributes;
using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Benchmarks;

/// <summary>Encoding (V2 + zlib + base64) and decoding of a run-sized latency histogram and of a window histogram.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private LongHistogram _latency = null!;
    private LongHistogram _window = null!;
    private EncodedHistogram _encodedLatency = null!;
    private EncodedHistogram _encodedWindow = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _latency = LatencyHistograms.Create();
        _window = LatencyHistograms.CreateWindow();
        for (var i = 0; i < 1_000_000; i++)
        {
            var v = (long)Math.Exp(4 + (rng.NextDouble() * 10));
            _latency.RecordValue(v);
            if (i < 5_000)
            {
                _window.RecordValue(v);
            }
        }

        _encodedLatency = HistogramCodec.Encode(_latency);
        _encodedWindow = HistogramCodec.Encode(_window);
    }

    [Benchmark]
    public EncodedHistogram EncodeLatency() => HistogramCodec.Encode(_latency);

    [Benchmark]
    public LongHistogram DecodeLatency() => HistogramCodec.Decode(_encodedLatency);

    [Benchmark]
    public EncodedHistogram EncodeWindow() => HistogramCodec.Encode(_window);

    [Benchmark]
    public LongHistogram DecodeWindow() => HistogramCodec.Decode(_encodedWindow);
}
