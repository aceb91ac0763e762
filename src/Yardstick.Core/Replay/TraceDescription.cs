using System.Security.Cryptography;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Replay;

/// <summary>
/// Reads a trace once, streaming (one line in memory), for what a run records and checks before it starts: the SHA-256
/// of its bytes, arrivals, size, span, distinct endpoints, the window's arrivals and length after speed, its peak rate
/// per second of replay time, and the endpoint table the shards send.
/// </summary>
public static class TraceDescription
{
    /// <summary>Slowest replay speed accepted.</summary>
    public const double MinSpeed = 0.01;

    /// <summary>Fastest replay speed accepted.</summary>
    public const double MaxSpeed = 100;

    /// <summary>Recorded names that get their own endpoint; the rest are grouped as <c>other METHOD</c>.</summary>
    public const int MaxNamedEndpoints = 240;

    /// <summary>Most <c>other METHOD</c> groups (distinct methods beyond the named endpoints).</summary>
    public const int MaxOtherGroups = 16;

    /// <summary>Distinct names counted for <see cref="TraceSummary.DistinctEndpoints"/> (bounds the memory of the count).</summary>
    public const int MaxCountedNames = 100_000;

    /// <summary>Describes the trace in <paramref name="content"/> (owned: read to its end and disposed).</summary>
    /// <param name="content">The trace's bytes.</param>
    /// <param name="name">The trace as the workload names it.</param>
    /// <param name="speed">Replay speed.</param>
    /// <param name="window">The slice replayed; null: all of it.</param>
    /// <exception cref="InputException">A malformed line (names <c>load.trace</c> and the line), or a window with no arrival.</exception>
    public static TraceSummary Describe(Stream content, string name, double speed, TraceWindow? window)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var from = window?.From ?? TimeSpan.Zero;
        var end = window?.Duration is { } d ? from + d : (TimeSpan?)null;
        var counted = new HashSet<(string, string)>();
        var table = new EndpointTable();
        var holes = new List<TraceHole>();
        var holeNames = new HashSet<string>(StringComparer.Ordinal);
        long arrivals = 0;
        long windowArrivals = 0;
        TimeSpan lastOffset = TimeSpan.Zero;
        TimeSpan lastInWindow = TimeSpan.Zero;
        long bucket = -1;
        long inBucket = 0;
        long peak = 0;
        using var hashing = new HashingStream(content, sha);
        using (var reader = new TraceReader(hashing))
        {
            while (reader.TryRead(out var record))
            {
                arrivals++;
                var offset = record.T - reader.First!.Value;
                lastOffset = offset;
                if (counted.Count < MaxCountedNames)
                {
                    counted.Add((record.Method, record.Name));
                }

                if (offset < from || offset >= end)
                {
                    continue;
                }

                windowArrivals++;
                lastInWindow = offset;
                table.Add(record.Method, record.Name, record.Body is not null);
                CollectHoles(record.Path, reader.Line, holes, holeNames);
                CollectHoles(record.Body, reader.Line, holes, holeNames);
                var second = (long)Math.Floor((offset - from).TotalSeconds / speed);
                if (second != bucket)
                {
                    bucket = second;
                    inBucket = 0;
                }

                peak = Math.Max(peak, ++inBucket);
            }

            if (arrivals == 0)
            {
                throw new InputException(TraceReader.Field, $"{name} has no recorded request (a trace is one JSON object per line).");
            }

            if (windowArrivals == 0)
            {
                throw new InputException("load.window", $"no recorded request of {name} falls in the window ({DurationText.Format(from)} to {(end is { } e ? DurationText.Format(e) : "the end")}); the trace spans {DurationText.Format(lastOffset)}.");
            }

            // A round lasts the window (when its duration is given) or up to its last arrival; at least a millisecond.
            var span = end is not null ? end.Value - from : lastInWindow - from;
            var replay = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)Math.Ceiling(span.Ticks / speed)));
            var (endpoints, other) = table.Build();
            return new TraceSummary
            {
                File = name,
                Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()),
                Bytes = reader.BytesRead,
                Arrivals = arrivals,
                Start = reader.First,
                Span = lastOffset,
                DistinctEndpoints = counted.Count,
                Speed = speed,
                WindowFrom = from,
                WindowDuration = window?.Duration,
                WindowArrivals = windowArrivals,
                ReplayDuration = replay,
                PeakPerSecond = peak,
                Endpoints = endpoints,
                GroupedAsOther = other,
                DataHoles = holes,
            };
        }
    }

    /// <summary>The columns a replayed line's <c>${data.column}</c> holes name (the template parsing of request URLs and bodies).</summary>
    private static void CollectHoles(string? text, long line, List<TraceHole> holes, HashSet<string> names)
    {
        if (!Load.Requests.TemplateText.HasHoles(text))
        {
            return;
        }

        foreach (var column in Load.Requests.TemplateText.Columns(text))
        {
            if (names.Add(column))
            {
                if (names.Count > DatasetReader.MaxColumns)
                {
                    throw new InputException(TraceReader.Field, $"line {line}: ${{data.{column}}} is the {names.Count}th distinct dataset column the trace names; a dataset has at most {DatasetReader.MaxColumns} columns.");
                }

                holes.Add(new TraceHole(column, line));
            }
        }
    }

    /// <summary>
    /// The run's caps on a described trace: a round within the duration cap, the peak per second of replay time within
    /// the rate cap, and the arrivals of every round and sweep variant within the total-request cap. Names the field
    /// that moves it (<c>load.speed</c> when the speed is not 1, else <c>load.window</c> or <c>load.trace</c>).
    /// </summary>
    public static void CheckCaps(TraceSummary trace, int repeat, long sweepVariants)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var speedField = trace.Speed != 1.0 ? "load.speed" : trace.WindowDuration is not null ? "load.window" : TraceReader.Field;
        if (trace.ReplayDuration > LoadCaps.MaxDuration)
        {
            throw new InputException(speedField, $"replaying {trace.File} takes {DurationText.Format(trace.ReplayDuration)} (its span ÷ speed ×{trace.Speed:0.##}), above the cap of {DurationText.Format(LoadCaps.MaxDuration)} per round; replay a window (load.window) or raise load.speed.");
        }

        if (trace.PeakPerSecond > LoadCaps.MaxRatePerSecond)
        {
            throw new InputException(speedField, $"{trace.File} peaks at {trace.PeakPerSecond:N0} arrivals in one second at speed ×{trace.Speed:0.##}, above the cap of {LoadCaps.MaxRatePerSecond:N0}/s.");
        }

        var total = (double)trace.WindowArrivals * Math.Max(1, repeat) * Math.Max(1, sweepVariants);
        if (total > LoadCaps.MaxTotalRequests)
        {
            throw new InputException(TraceReader.Field, $"the run would send {total:N0} requests ({trace.WindowArrivals:N0} arrivals × {Math.Max(1, repeat)} rounds × {Math.Max(1, sweepVariants)} variants), above the cap of {LoadCaps.MaxTotalRequests:N0}; replay a window (load.window).");
        }
    }

    /// <summary>What is wrong with a speed; null when nothing.</summary>
    public static string? SpeedError(double speed) =>
        speed is >= MinSpeed and <= MaxSpeed && double.IsFinite(speed)
            ? null
            : $"{speed} is out of bounds; give a speed from {MinSpeed} (100 times slower) to {MaxSpeed:0} (100 times faster).";

    /// <summary>Groups the window's arrivals into endpoints in order of first appearance.</summary>
    internal sealed class EndpointTable
    {
        private readonly Dictionary<(string Method, string Name), int> _index = [];
        private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);
        private readonly List<(string Method, string Name, bool Other)> _keys = [];
        private readonly List<long> _counts = [];
        private readonly List<bool> _bodies = [];
        private int _named;
        private int _groupedNames;
        private readonly HashSet<(string, string)> _grouped = [];

        public void Add(string method, string name, bool hasBody)
        {
            if (!_index.TryGetValue((method, name), out var i))
            {
                if (_named < MaxNamedEndpoints)
                {
                    i = _keys.Count;
                    _index[(method, name)] = i;
                    _keys.Add((method, name, false));
                    _counts.Add(0);
                    _bodies.Add(false);
                    _named++;
                }
                else
                {
                    if (_grouped.Count < MaxCountedNames && _grouped.Add((method, name)))
                    {
                        _groupedNames++;
                    }

                    if (!_other.TryGetValue(method, out i))
                    {
                        if (_other.Count >= MaxOtherGroups)
                        {
                            throw new InputException(TraceReader.Field, $"more than {MaxNamedEndpoints} endpoint names and more than {MaxOtherGroups} methods among the rest; a replay sends at most {MaxNamedEndpoints + MaxOtherGroups} endpoints.");
                        }

                        i = _keys.Count;
                        _other[method] = i;
                        _keys.Add((method, "", true));
                        _counts.Add(0);
                        _bodies.Add(false);
                    }
                }
            }

            _counts[i]++;
            _bodies[i] |= hasBody;
        }

        public (IReadOnlyList<ReplayEndpoint> Endpoints, int GroupedAsOther) Build()
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<ReplayEndpoint>(_keys.Count);
            for (var i = 0; i < _keys.Count; i++)
            {
                var (method, name, other) = _keys[i];
                var display = other ? $"other {method}" : name;
                if (!used.Add(display))
                {
                    display = $"{name} ({method})";
                    for (var n = 2; !used.Add(display); n++)
                    {
                        display = $"{name} ({method}) #{n}";
                    }
                }

                list.Add(new ReplayEndpoint(display, method, name, _bodies[i], _counts[i]));
            }

            return (list, _groupedNames);
        }
    }

    /// <summary>A read-only stream that feeds every byte read through a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : ForwardOnlyReadStream(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            var n = Inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            Consumed += n;
            return n;
        }
    }
}
