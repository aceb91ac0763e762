using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Replay;

/// <summary>One bucket of a trace's rate over time.</summary>
/// <param name="Start">The bucket's start (UTC).</param>
/// <param name="OffsetSeconds">Seconds from the trace's first request to <paramref name="Start"/>.</param>
/// <param name="Requests">Requests that started in the bucket.</param>
/// <param name="RatePerSecond">Requests ÷ the bucket's seconds.</param>
public sealed record TraceRateBucket(DateTimeOffset Start, double OffsetSeconds, long Requests, double RatePerSecond);

/// <summary>One endpoint of a trace's mix (grouped by the line's name).</summary>
/// <param name="Name">The endpoint's name (<c>GET /api/items</c>, or the recorded App Insights name).</param>
/// <param name="Requests">Lines with this name.</param>
/// <param name="Share">Requests ÷ all requests.</param>
/// <param name="Statuses">Recorded status codes and their counts (lines without a status are not counted here).</param>
/// <param name="MedianDurationMs">Median recorded duration (2 significant digits), null when no line had one.</param>
public sealed record TraceEndpoint(string Name, long Requests, double Share, IReadOnlyDictionary<int, long> Statuses, double? MedianDurationMs);

/// <summary>
/// What <c>yardstick trace show</c> prints: how many requests a trace holds, over what span, its average and peak rate,
/// its rate over time in buckets sized to the span (at most <see cref="MaxBuckets"/>) and its endpoint mix. Built in one
/// pass over a <see cref="TraceReader"/>: memory grows with the trace's seconds and endpoints, never its lines.
/// </summary>
public sealed record TraceProfile
{
    /// <summary>Rate rows at most; the bucket is the smallest of 1 s, 5 s, 10 s, 30 s, 1, 5, 10, 30 min, 1, 6 h, 1 d that fits.</summary>
    public const int MaxBuckets = 60;

    /// <summary>Endpoints tracked by name; the rest are counted under <see cref="OtherEndpoints"/>.</summary>
    public const int MaxEndpoints = 200;

    private static readonly int[] BucketSeconds = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 21600, 86400];

    public long Requests { get; init; }

    public DateTimeOffset? First { get; init; }

    public DateTimeOffset? Last { get; init; }

    /// <summary>Seconds from the first request to the last.</summary>
    public double SpanSeconds { get; init; }

    /// <summary>Requests ÷ span (null for a trace of one instant).</summary>
    public double? AverageRatePerSecond { get; init; }

    /// <summary>The most requests that started in one second of the trace (seconds counted from the first request).</summary>
    public long PeakPerSecond { get; init; }

    /// <summary>The start of that busiest second.</summary>
    public DateTimeOffset? PeakAt { get; init; }

    /// <summary>The size of a <see cref="Rate"/> bucket, in seconds.</summary>
    public int BucketSizeSeconds { get; init; }

    public IReadOnlyList<TraceRateBucket> Rate { get; init; } = [];

    /// <summary>Endpoints by requests, most first.</summary>
    public IReadOnlyList<TraceEndpoint> Endpoints { get; init; } = [];

    /// <summary>Requests of endpoints past the first <see cref="MaxEndpoints"/> names seen.</summary>
    public long OtherEndpoints { get; init; }

    /// <summary>Lines carrying a body.</summary>
    public long WithBody { get; init; }

    /// <summary>Profiles a trace in one pass.</summary>
    public static TraceProfile Build(IEnumerable<TraceRecord> records)
    {
        var perSecond = new Dictionary<long, long>();
        var endpoints = new Dictionary<string, EndpointTally>(StringComparer.Ordinal);
        long requests = 0, other = 0, withBody = 0;
        DateTimeOffset? first = null, last = null;
        foreach (var record in records)
        {
            first ??= record.T;
            last = record.T;
            requests++;
            if (record.Body is not null)
            {
                withBody++;
            }

            var second = (record.T - first.Value).Ticks / TimeSpan.TicksPerSecond;
            perSecond[second] = perSecond.GetValueOrDefault(second) + 1;
            if (!endpoints.TryGetValue(record.Name, out var tally))
            {
                if (endpoints.Count >= MaxEndpoints)
                {
                    other++;
                    continue;
                }

                endpoints[record.Name] = tally = new EndpointTally();
            }

            tally.Add(record);
        }

        if (first is null)
        {
            return new TraceProfile();
        }

        var span = (last!.Value - first.Value).TotalSeconds;
        var bucket = BucketSeconds.FirstOrDefault(b => Math.Floor(span / b) + 1 <= MaxBuckets, BucketSeconds[^1]);
        var buckets = new long[(int)Math.Floor(span / bucket) + 1];
        foreach (var (second, count) in perSecond)
        {
            buckets[second / bucket] += count;
        }

        var peak = perSecond.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First();
        return new TraceProfile
        {
            Requests = requests,
            First = first,
            Last = last,
            SpanSeconds = span,
            AverageRatePerSecond = span > 0 ? requests / span : null,
            PeakPerSecond = peak.Value,
            PeakAt = first.Value.AddSeconds(peak.Key),
            BucketSizeSeconds = bucket,
            Rate = buckets.Select((count, i) => new TraceRateBucket(first.Value.AddSeconds((double)i * bucket), (double)i * bucket, count, count / (double)bucket)).ToList(),
            Endpoints = endpoints
                .Select(e => new TraceEndpoint(e.Key, e.Value.Requests, e.Value.Requests / (double)requests, e.Value.Statuses, e.Value.MedianMs))
                .OrderByDescending(e => e.Requests)
                .ThenBy(e => e.Name, StringComparer.Ordinal)
                .ToList(),
            OtherEndpoints = other,
            WithBody = withBody,
        };
    }

    private static double TwoSignificantDigits(double value)
    {
        if (value <= 0)
        {
            return 0;
        }

        var scale = Math.Pow(10, 1 - Math.Floor(Math.Log10(value)));
        return Math.Round(value * scale) / scale;
    }

    private sealed class EndpointTally
    {
        private LongHistogram? _durations;

        public long Requests { get; private set; }

        public SortedDictionary<int, long> Statuses { get; } = [];

        /// <summary>The median to the histogram's two significant digits (more would claim a precision it does not have).</summary>
        public double? MedianMs => _durations is { TotalCount: > 0 } h ? TwoSignificantDigits(HistogramSummaries.PercentileMs(h, 50)) : null;

        public void Add(TraceRecord record)
        {
            Requests++;
            if (record.Status is { } status)
            {
                Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
            }

            if (record.DurationMs is { } ms)
            {
                // Two significant digits in microseconds: a median to 1 %, ~45 KB an endpoint.
                _durations ??= LatencyHistograms.CreateWindow();
                _durations.RecordValue(LatencyHistograms.Clamp((long)Math.Round(ms * 1000)));
            }
        }
    }
}
