using Yardstick.Core.ColdStart;

namespace Yardstick.Core.Tests.ColdStart;

/// <summary>Builders for probes as the activities return them.</summary>
internal static class ProbeData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    public static ColdStartProbe Probe(int index, string? instance, double timeToFirstSuccessMs, params double[] warmMs) => Probe(index, instance, timeToFirstSuccessMs, warmMs, warmInstance: instance);

    public static ColdStartProbe Probe(int index, string? instance, double timeToFirstSuccessMs, double[] warmMs, string? warmInstance) => new()
    {
        Index = index,
        ForcedAt = T0.AddMinutes(index),
        TimeToFirstSuccessMs = timeToFirstSuccessMs,
        Attempts = 1,
        First = new ProbeExchange { At = T0.AddMinutes(index).AddSeconds(1), StatusCode = 200, InstanceId = instance, TotalMs = 12 },
        Warm = warmMs.Select(ms => new ProbeExchange { At = T0.AddMinutes(index).AddSeconds(2), StatusCode = 200, InstanceId = warmInstance, TotalMs = ms }).ToList(),
    };
}
