using System.Security.Cryptography;
using System.Text;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>What planning records about a trace and the caps it checks.</summary>
public sealed class TraceDescriptionTests
{
    [Fact]
    public void Describe_RecordsIdentityWindowSpeedAndEndpointsInFirstAppearanceOrder()
    {
        var text = string.Join('\n',
            ReplayTraces.Line(TimeSpan.Zero, "/a?x=1"),
            ReplayTraces.Line(TimeSpan.FromSeconds(1), "/b", "POST", body: "{}"),
            ReplayTraces.Line(TimeSpan.FromSeconds(2), "/a?x=2"),
            ReplayTraces.Line(TimeSpan.FromSeconds(3), "/c", "GET", "shared"),
            ReplayTraces.Line(TimeSpan.FromSeconds(4), "/c", "DELETE", "shared"),
            ReplayTraces.Line(TimeSpan.FromSeconds(10), "/z")) + "\n";

        var all = ReplayTraces.Describe(text);
        var window = ReplayTraces.Describe(text, speed: 2, new TraceWindow(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), all.Sha256);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), all.Bytes);
        Assert.Equal(6, all.Arrivals);
        Assert.Equal(TimeSpan.FromSeconds(10), all.Span);
        Assert.Equal(5, all.DistinctEndpoints);
        Assert.Equal(TimeSpan.FromSeconds(10), all.ReplayDuration);
        Assert.Equal(["GET /a", "POST /b", "shared", "shared (DELETE)", "GET /z"], all.Endpoints.Select(e => e.Name));
        Assert.Equal([false, true, false, false, false], all.Endpoints.Select(e => e.HasBody));
        Assert.Equal([2L, 1, 1, 1, 1], all.Endpoints.Select(e => e.Arrivals));

        // Window [1 s, 5 s) at speed 2: four arrivals, 4 s of trace in 2 s; offsets 0, 0.5, 1, 1.5 s: one per replay second bucket pair.
        Assert.Equal(4, window.WindowArrivals);
        Assert.Equal(6, window.Arrivals);
        Assert.Equal(TimeSpan.FromSeconds(2), window.ReplayDuration);
        Assert.Equal(2, window.PeakPerSecond);
        Assert.Equal(["POST /b", "GET /a", "shared", "shared (DELETE)"], window.Endpoints.Select(e => e.Name));
    }

    [Fact]
    public void Describe_ManyNames_KeepsTheFirstOnesAndGroupsTheRestAsOtherPerMethod()
    {
        var text = new StringBuilder();
        for (var i = 0; i < TraceDescription.MaxNamedEndpoints + 30; i++)
        {
            text.AppendLine(ReplayTraces.Line(TimeSpan.FromMilliseconds(i), $"/n{i}", i % 2 == 0 ? "GET" : "POST"));
        }

        var trace = ReplayTraces.Describe(text.ToString());

        Assert.Equal(TraceDescription.MaxNamedEndpoints + 2, trace.Endpoints.Count);
        Assert.Equal(["other GET", "other POST"], trace.Endpoints.Skip(TraceDescription.MaxNamedEndpoints).Select(e => e.Name));
        Assert.Equal(30, trace.GroupedAsOther);
        Assert.Equal(30, trace.Endpoints.Skip(TraceDescription.MaxNamedEndpoints).Sum(e => e.Arrivals));
    }

    [Fact]
    public void Describe_AWindowWithNoArrival_NamesLoadWindow()
    {
        var e = Assert.Throws<InputException>(() => ReplayTraces.Describe(ReplayTraces.Irregular(10), 1, new TraceWindow(TimeSpan.FromHours(1), null)));

        Assert.Equal("load.window", e.Field);
    }

    [Fact]
    public void CheckCaps_PeakRateDurationAndTotal_AreRefusedNamingTheField()
    {
        // 250,000 arrivals within one second: above the 200,000/s rate cap even at speed 1.
        var burst = ReplayTraces.Describe(ReplayTraces.Line(TimeSpan.Zero, "/a") + "\n") with { PeakPerSecond = 250_000 };
        var rate = Assert.Throws<InputException>(() => TraceDescription.CheckCaps(burst, 1, 1));
        Assert.Equal("load.trace", rate.Field);
        Assert.Contains("250,000", rate.Message, StringComparison.Ordinal);

        var slow = ReplayTraces.Describe(ReplayTraces.Line(TimeSpan.Zero, "/a") + "\n" + ReplayTraces.Line(TimeSpan.FromMinutes(70), "/a") + "\n", speed: 0.5);
        var duration = Assert.Throws<InputException>(() => TraceDescription.CheckCaps(slow, 1, 1));
        Assert.Equal("load.speed", duration.Field);
        Assert.Contains("2h20m", duration.Message.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var many = burst with { PeakPerSecond = 1, WindowArrivals = 60_000_000 };
        var total = Assert.Throws<InputException>(() => TraceDescription.CheckCaps(many, 2, 1));
        Assert.Equal("load.trace", total.Field);
        Assert.Contains("120,000,000", total.Message, StringComparison.Ordinal);
    }
}
