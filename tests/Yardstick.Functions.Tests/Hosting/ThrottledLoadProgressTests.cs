using Microsoft.Extensions.Time.Testing;
using Yardstick.Core.Load;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;

namespace Yardstick.Functions.Tests.Hosting;

public sealed class ThrottledLoadProgressTests
{
    [Fact]
    public void Report_TicksEvery500Ms_LogsEachShardOncePerIntervalAndAtTheEnd()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger<ThrottledLoadProgress>();
        var progress = new ThrottledLoadProgress(logger, time);
        var duration = TimeSpan.FromSeconds(65);

        // Two shards reporting every 500 ms for 65 s, as the load generator does, then their final reports.
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(500))
        {
            progress.Report(Stats("20260101-000000-abcdef/measured/r00/s000", elapsed, duration));
            progress.Report(Stats("20260101-000000-abcdef/measured/r00/s001", elapsed, duration));
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        progress.Report(Stats("20260101-000000-abcdef/measured/r00/s000", duration, duration));
        progress.Report(Stats("20260101-000000-abcdef/measured/r00/s001", duration, duration));

        // Per shard: t = 0, 30, 60 s (65 s / 30 s interval) plus the final report = 4 of 131 reports.
        Assert.Equal(8, logger.Lines.Count);
        Assert.All(logger.Lines, l => Assert.StartsWith("Shard 20260101-000000-abcdef/", l.Message, StringComparison.Ordinal));
    }

    private static LiveLoadStats Stats(string key, TimeSpan elapsed, TimeSpan duration) =>
        new(key, RunPhase.Measured, elapsed, duration, Requests: (long)elapsed.TotalSeconds * 10, Errors: 0, Dropped: 0, InFlight: 1, CurrentRps: 10, LatencyP99Ms: 1.5);
}
