using System.Diagnostics.Tracing;
using System.Globalization;

namespace Yardstick.LoadBench;

/// <summary>
/// Which types the measured window allocates: the runtime raises <c>GCAllocationTick</c> about every 100 KB allocated,
/// naming the type of the object that crossed the mark, so ticks × 100 KB estimate bytes per type (sampled; a rough
/// share, not an exact count). Enabled with <c>--alloc-top N</c>; prints the top N to stderr.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const long BytesPerTick = 100 * 1024;
    private const int GcKeyword = 0x1;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private volatile bool _counting;

    public void Start() => _counting = true;

    public void Stop() => _counting = false;

    /// <summary>Writes the <paramref name="top"/> sampled types as estimated bytes per request.</summary>
    public void Report(int top, long requests, TextWriter writer)
    {
        lock (_lock)
        {
            foreach (var (type, ticks) in _ticks.OrderByDescending(t => t.Value).Take(top))
            {
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"alloc_sample type={type} ticks={ticks} est_bytes_per_req={(double)ticks * BytesPerTick / Math.Max(1, requests):0.0}"));
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
        {
            return;
        }

        var index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        var type = index >= 0 && eventData.Payload?[index] is string name ? name : "?";
        lock (_lock)
        {
            _ticks[type] = _ticks.GetValueOrDefault(type) + 1;
        }
    }
}
