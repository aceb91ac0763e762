using System.Diagnostics;
using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>
/// A shard's arrivals of a replayed trace: due times (offset − window.from) ÷ speed, shard i of K taking arrivals i,
/// i+K… of the window, so the shards add up to the window exactly, each arrival once, with its own path, body and endpoint.
/// </summary>
public sealed class ReplayFeedTests
{
    private sealed record Seen(long Global, long DueTicks, int Endpoint, string Path, string Body);

    /// <summary>Walks a shard's timeline like the pacer, reading each arrival's row like a connection.</summary>
    private static List<Seen> Walk(string text, TraceSummary trace, int shard, int shards)
    {
        using var feed = new ReplayFeed(ReplayTraces.Opener(text), trace, shard, shards, maxInFlight: 10);
        var timeline = feed.GetTimeline(CancellationToken.None);
        var row = new DataRowBuffer(feed.Columns.Count);
        var seen = new List<Seen>();
        long index = 0;
        while (timeline.MoveNext())
        {
            Assert.True(feed.TryRead(index, row));
            seen.Add(new Seen(
                (index * shards) + shard,
                timeline.CurrentTicks(Stopwatch.Frequency),
                feed.Select(index),
                "/" + Encoding.UTF8.GetString(row.Value(0)),
                Encoding.UTF8.GetString(row.Value(1))));
            index++;
        }

        Assert.Null(feed.FailureReason);
        Assert.Equal(feed.Expected, seen.Count);
        return seen;
    }

    [Theory]
    [InlineData(1, 1.0, 0, null)]
    [InlineData(3, 1.0, 0, null)]
    [InlineData(4, 2.5, 0, null)]
    [InlineData(3, 0.5, 2_000, 6_000)]
    [InlineData(7, 1.0, 100, 900)]
    public void Shards_AddUpToTheWindowExactly_EachArrivalOnceAtItsScaledOffset(int shards, double speed, int fromMs, int? durationMs)
    {
        var text = ReplayTraces.Irregular(9_000); // more than the prefetch ring, so slots are reused
        var window = fromMs > 0 || durationMs is not null
            ? new TraceWindow(TimeSpan.FromMilliseconds(fromMs), durationMs is { } d ? TimeSpan.FromMilliseconds(d) : null)
            : null;
        var trace = ReplayTraces.Describe(text, speed, window);
        var records = ReplayTraces.Records(text);
        var from = window?.From ?? TimeSpan.Zero;
        var end = window?.Duration is { } length ? from + length : TimeSpan.MaxValue;
        var expected = records
            .Select(r => (Record: r, Offset: r.T - records[0].T))
            .Where(r => r.Offset >= from && r.Offset < end)
            .ToList();

        var all = Enumerable.Range(0, shards).SelectMany(s => Walk(text, trace, s, shards)).OrderBy(s => s.Global).ToList();

        Assert.Equal(expected.Count, trace.WindowArrivals);
        Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), all.Select(s => s.Global));
        for (var i = 0; i < expected.Count; i++)
        {
            var (record, offset) = expected[i];
            var due = (long)((offset - from).Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond / speed));
            Assert.InRange(all[i].DueTicks, due - 1, due + 1);
            Assert.Equal(record.Path, all[i].Path);
            Assert.Equal(record.Body ?? "", all[i].Body);
            var endpoint = trace.Endpoints[all[i].Endpoint];
            Assert.Equal(record.Method, endpoint.Method);
            if (endpoint.RecordedName.Length > 0)
            {
                Assert.Equal(record.Name, endpoint.RecordedName);
            }
            else
            {
                // Beyond the named endpoints (every PUT here has its own name): grouped as "other PUT".
                Assert.Equal("other " + record.Method, endpoint.Name);
                Assert.DoesNotContain(trace.Endpoints, e => e.RecordedName == record.Name && e.Method == record.Method);
            }
        }

        // Within a shard the due times never go backwards (the pacer's contract).
        foreach (var shard in Enumerable.Range(0, shards))
        {
            var dues = all.Where(s => s.Global % shards == shard).Select(s => s.DueTicks).ToList();
            Assert.Equal(dues.Order(), dues);
        }
    }

    [Fact]
    public void TryRead_ASlotReusedByALaterArrival_IsNotSentWithItsValues()
    {
        var text = ReplayTraces.Irregular(20_000);
        var trace = ReplayTraces.Describe(text);
        using var feed = new ReplayFeed(ReplayTraces.Opener(text), trace, 0, 1, maxInFlight: 1);
        var timeline = feed.GetTimeline(CancellationToken.None);
        long n = 0;
        while (timeline.MoveNext())
        {
            n++;
        }

        var row = new DataRowBuffer(2);
        Assert.Equal(20_000, n);
        Assert.True(feed.TryRead(n - 1, row));
        Assert.False(feed.TryRead(0, row)); // long since overwritten
    }

    [Fact]
    public void Feed_ATraceThatChangedSincePlanning_StopsWithTheReason()
    {
        var planned = ReplayTraces.Irregular(100);
        var trace = ReplayTraces.Describe(planned);
        var changed = planned + ReplayTraces.Line(TimeSpan.FromSeconds(0.5), "/api/new", "DELETE") + "\n";

        using var feed = new ReplayFeed(ReplayTraces.Opener(changed.Replace("/api/hello", "/api/hullo", StringComparison.Ordinal)), trace, 0, 1, maxInFlight: 10);
        var timeline = feed.GetTimeline(CancellationToken.None);
        var n = 0;
        while (timeline.MoveNext())
        {
            n++;
        }

        Assert.True(n < 100);
        Assert.Contains("changed after the run was planned", feed.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_Cancelled_StopsWaitingForAStalledRead()
    {
        var trace = ReplayTraces.Describe(ReplayTraces.Irregular(10));
        var stalled = new StalledStream();
        using var feed = new ReplayFeed(() => stalled, trace, 0, 1, maxInFlight: 10);
        using var cts = new CancellationTokenSource();
        var timeline = feed.GetTimeline(cts.Token);
        cts.Cancel();

        Assert.False(timeline.MoveNext());
        stalled.Dispose(); // releases the prefetcher's read, so the feed's disposal does not wait for it
    }

    /// <summary>A stream whose read never returns data until disposed.</summary>
    private sealed class StalledStream : MemoryStream
    {
        private readonly ManualResetEventSlim _released = new(false);

        public override int Read(byte[] buffer, int offset, int count)
        {
            _released.Wait();
            return 0;
        }

        public override int Read(Span<byte> buffer)
        {
            _released.Wait();
            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            _released.Set();
            base.Dispose(disposing);
        }
    }
}
