using System.Diagnostics;
using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Replay;

/// <summary>
/// One shard's arrivals of a replayed trace: the "when" (<see cref="Timeline"/>, walked by the pacer), the "what"
/// (<see cref="Select"/>: the arrival's endpoint, and <see cref="TryRead"/>: its recorded path and body, served as the data
/// row of <see cref="ExchangeRequest.RowKey"/> = arrival index). Arrival n of the window (0-based, in trace order) belongs
/// to shard n mod K, so the shards of a run add up to the window exactly, each arrival once; its intended start is
/// (offset − window.from) ÷ speed from the shard start.
/// </summary>
/// <remarks>
/// A prefetch thread streams the trace (one line in memory; the shard's own stream, never the whole file) and parses
/// the shard's lines into a ring of reusable slots up to <see cref="Ahead"/> arrivals ahead of the pacer, so reading and
/// parsing never delay the timeline (a slow read shows as scheduling lag only if the ring runs dry). The pacer reads a
/// slot's due time without allocating; connections copy the path and body under the slot's lock. The ring holds
/// <see cref="Ahead"/> plus the shard's in-flight cap (and a margin) slots, so a slot is reused only long after its
/// arrival was sent; should one still be waiting then, it is not sent (never sent with another arrival's values).
/// <para>
/// With a dataset (<c>data:</c>), the prefetch thread also draws each arrival's row (by the dataset's mode: the shard's own
/// <see cref="DatasetRows"/>, so <c>unique</c> partitions rows across shards) and writes the path and body already filled
/// (<see cref="ReplayRowFiller"/>), so connections still send the slot's bytes verbatim. An arrival that found no row
/// (<c>onExhausted: stop</c>) keeps its place in the timeline but is not sent (<see cref="TryRead"/> answers false, the
/// open model's <c>NotSent</c>), and the dataset's exhaustion reason says why.
/// </para>
/// </remarks>
public sealed class ReplayFeed : IRequestSelector, IDataRows, IDisposable
{
    /// <summary>Arrivals parsed ahead of the pacer.</summary>
    public const int Ahead = 4096;

    /// <summary>The hole a replay request's URL ends with (after a '/'): the arrival's path and query without the leading '/'.</summary>
    public const string PathHole = "${data.path}";

    /// <summary>The body of a replay request that carries one: the arrival's recorded body.</summary>
    public const string BodyHole = "${data.body}";

    /// <summary>The data row's columns, written as they are (<see cref="RequestCatalogOptions.VerbatimData"/>).</summary>
    private static readonly IReadOnlyList<string> RowColumns = ["path", "body"];

    private readonly Func<Stream> _open;
    private readonly IDataRows? _data;
    private readonly string _dataName;
    private readonly string? _contentType;
    private readonly TraceSummary _trace;
    private readonly int _shardIndex;
    private readonly int _shardCount;
    private readonly Dictionary<(string Method, string Name), int> _endpoints = [];
    private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);
    private readonly Slot[] _slots;
    private readonly long _mask;
    private readonly double _stopwatchTicksPerTraceTick;
    private readonly ManualResetEventSlim _ready = new(false);
    private readonly ManualResetEventSlim _room = new(false);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private long _produced;
    private long _consumed;
    private int _pacerWaiting;
    private int _prefetcherWaiting;
    private volatile bool _finished;
    private volatile string? _failure;

    /// <param name="open">Opens the trace from its start (a file, or a blob at the planned ETag).</param>
    /// <param name="trace">The trace as planned: window, speed and endpoints (in the order of the shard's requests).</param>
    /// <param name="shardIndex">This shard (0-based).</param>
    /// <param name="shardCount">Shards of the run.</param>
    /// <param name="maxInFlight">The shard's in-flight cap (sizes the ring).</param>
    /// <param name="data">The shard's dataset rows (<c>data:</c>); null: every path and body is sent as recorded.</param>
    /// <param name="dataName">The dataset as the workload names it (for messages).</param>
    /// <param name="contentType">The requests' Content-Type (target.headers), which decides whether a body is JSON.</param>
    public ReplayFeed(Func<Stream> open, TraceSummary trace, int shardIndex, int shardCount, int maxInFlight, IDataRows? data = null, string? dataName = null, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shardCount, shardIndex);
        if (TraceDescription.SpeedError(trace.Speed) is { } speedError)
        {
            throw new InputException("load.speed", speedError);
        }

        _open = open;
        _data = data;
        _dataName = dataName ?? "the dataset";
        _contentType = contentType;
        _trace = trace;
        _shardIndex = shardIndex;
        _shardCount = shardCount;
        for (var i = 0; i < trace.Endpoints.Count; i++)
        {
            var e = trace.Endpoints[i];
            if (e.RecordedName.Length == 0)
            {
                _other[e.Method] = i;
            }
            else
            {
                _endpoints[(e.Method, e.RecordedName)] = i;
            }
        }

        var size = (int)Math.Min(1 << 20, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(Ahead + Math.Max(1, maxInFlight) + 1024)));
        _slots = new Slot[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i] = new Slot();
        }

        _mask = size - 1;
        _stopwatchTicksPerTraceTick = (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond / trace.Speed;
        Expected = trace.WindowArrivals > shardIndex ? ((trace.WindowArrivals - shardIndex - 1) / shardCount) + 1 : 0;
    }

    /// <summary>Arrivals this shard sends (its share of the window).</summary>
    public long Expected { get; }

    /// <summary>Arrivals parsed so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    public IReadOnlyList<string> Columns => RowColumns;

    /// <summary>Why the shard's arrivals stopped before the window's end (the trace changed, could not be read); null otherwise.</summary>
    public string? FailureReason => _failure;

    /// <summary>Starts the prefetch thread (once); the ring fills while the shard waits for its start.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Prefetch) { IsBackground = true, Name = "yardstick-replay s" + _shardIndex };
        _thread.Start();
    }

    /// <summary>The pacer's view: arrivals in due order, waiting (in short slices, until <paramref name="stop"/>) when the prefetcher is behind.</summary>
    public Timeline GetTimeline(CancellationToken stop)
    {
        Start();
        return new Timeline(this, stop);
    }

    public int Select(long arrivalIndex)
    {
        var slot = _slots[arrivalIndex & _mask];
        lock (slot.Gate)
        {
            return slot.Index == arrivalIndex ? slot.Endpoint : 0;
        }
    }

    public bool TryRead(long rowKey, DataRowBuffer row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var slot = _slots[rowKey & _mask];
        lock (slot.Gate)
        {
            if (slot.Index != rowKey || !slot.HasRow)
            {
                return false;
            }

            row.Clear();
            row.Set(0, slot.Path.AsSpan(0, slot.PathLength));
            if (row.Columns > 1)
            {
                row.Set(1, slot.Body.AsSpan(0, slot.BodyLength));
            }

            return true;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _room.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _ready.Dispose();
        _room.Dispose();
        _stop.Dispose();
    }

    private void Prefetch()
    {
        try
        {
            PrefetchOrThrow();
        }
        catch (Ports.DatasetChangedException)
        {
            _failure = $"load.trace: '{_trace.File}' changed after the run was planned (ETag {_trace.ETag} no longer matches): the arrivals would not be the ones whose SHA-256 the run recorded; run it again.";
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _failure = $"the trace {_trace.File} could not be read to its end after {Produced} arrival(s) of this shard: {(e is InputException i ? i.Describe() : e.Message)}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failure = $"the trace {_trace.File} could not be read after {Produced} arrival(s) of this shard: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            _finished = true;
            _ready.Set();
        }
    }

    private void PrefetchOrThrow()
    {
        var from = _trace.WindowFrom;
        var end = _trace.WindowDuration is { } d ? from + d : TimeSpan.MaxValue;
        var stop = _stop.Token;
        long windowIndex = 0;
        long mine = 0;
        using var reader = new TraceReader(_open());
        var filler = _data is null ? null : new ReplayRowFiller(_data.Columns, _dataName, _contentType);
        var row = _data is null ? null : new DataRowBuffer(_data.Columns.Count);
        while (!stop.IsCancellationRequested && reader.TryRead(out var record))
        {
            var offset = record.T - reader.First!.Value;
            if (offset < from)
            {
                continue;
            }

            if (offset >= end)
            {
                break;
            }

            var n = windowIndex++;
            if (n % _shardCount != _shardIndex)
            {
                continue;
            }

            var endpoint = _endpoints.TryGetValue((record.Method, record.Name), out var e) ? e
                : _other.TryGetValue(record.Method, out var o) ? o
                : -1;
            if (endpoint < 0 || mine >= Expected)
            {
                _failure = $"the trace {_trace.File} changed after the run was planned (arrival {n} of the window, line {reader.Line}, is not what was planned: {(endpoint < 0 ? $"endpoint '{record.Name}' ({record.Method}) is new" : "more arrivals than planned")}); run it again.";
                return;
            }

            // Room: at most Ahead arrivals beyond the pacer.
            while (mine >= Interlocked.Read(ref _consumed) + Ahead)
            {
                _room.Reset();
                Interlocked.Exchange(ref _prefetcherWaiting, 1);
                if (mine >= Interlocked.Read(ref _consumed) + Ahead)
                {
                    _room.Wait(50, CancellationToken.None);
                }

                Interlocked.Exchange(ref _prefetcherWaiting, 0);
                if (stop.IsCancellationRequested)
                {
                    return;
                }
            }

            // The row is drawn outside the slot's lock: a blob dataset's read may wait on storage.
            var hasRow = filler is null || _data!.TryRead(mine, row!);
            var slot = _slots[mine & _mask];
            lock (slot.Gate)
            {
                slot.Index = mine;
                slot.Endpoint = endpoint;
                slot.DueTicks = (long)((offset - from).Ticks * _stopwatchTicksPerTraceTick);

                // The template sends "/" then the path's rest: the path always starts with one '/' (TraceReader).
                slot.HasRow = hasRow;
                if (!hasRow)
                {
                    // No row left (onExhausted: stop): the arrival keeps its due time and is not sent.
                    slot.PathLength = 0;
                    slot.BodyLength = 0;
                }
                else if (filler is null)
                {
                    slot.PathLength = Write(ref slot.Path, record.Path.AsSpan(1));
                    slot.BodyLength = record.Body is null ? 0 : Write(ref slot.Body, record.Body);
                }
                else
                {
                    slot.PathLength = filler.WritePath(record.Path, 1, row!, ref slot.Path, reader.Line);
                    slot.BodyLength = record.Body is null ? 0 : filler.WriteBody(record.Body, row!, ref slot.Body, reader.Line);
                }
            }

            Interlocked.Exchange(ref _produced, ++mine);
            if (Volatile.Read(ref _pacerWaiting) != 0)
            {
                _ready.Set();
            }
        }

        if (!stop.IsCancellationRequested && mine < Expected)
        {
            _failure = $"the trace {_trace.File} changed after the run was planned: this shard found {mine} of its {Expected} arrivals; run it again.";
        }
    }

    private static int Write(ref byte[] buffer, ReadOnlySpan<char> text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[Math.Max(max, buffer.Length * 2)];
        }

        return Encoding.UTF8.GetBytes(text, buffer);
    }

    private sealed class Slot
    {
        public readonly Lock Gate = new();
        public long Index = -1;
        public int Endpoint;
        public long DueTicks;
        public bool HasRow;
        public byte[] Path = new byte[64];
        public int PathLength;
        public byte[] Body = [];
        public int BodyLength;
    }

    /// <summary>The pacer's walk over the shard's arrivals: a struct, nothing allocated per arrival.</summary>
    public struct Timeline : IArrivalTimeline
    {
        private readonly ReplayFeed _feed;
        private readonly CancellationToken _stop;
        private long _next;
        private long _dueStopwatchTicks;

        internal Timeline(ReplayFeed feed, CancellationToken stop)
        {
            _feed = feed;
            _stop = stop;
            _next = 0;
            _dueStopwatchTicks = 0;
        }

        /// <summary>Index of the current arrival within the shard.</summary>
        public readonly long Index => _next - 1;

        public bool MoveNext()
        {
            var feed = _feed;
            var n = _next;
            while (n >= Interlocked.Read(ref feed._produced))
            {
                if (feed._finished)
                {
                    // Finished is set after the last publish: one more look settles it.
                    if (n >= Interlocked.Read(ref feed._produced))
                    {
                        return false;
                    }

                    break;
                }

                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                // The prefetcher is behind (a slow read): wait for it, in slices so cancellation is seen.
                feed._ready.Reset();
                Interlocked.Exchange(ref feed._pacerWaiting, 1);
                if (n >= Interlocked.Read(ref feed._produced) && !feed._finished)
                {
                    feed._ready.Wait(10, CancellationToken.None);
                }

                Interlocked.Exchange(ref feed._pacerWaiting, 0);
            }

            // The slot cannot be overwritten yet: the prefetcher stays Ahead arrivals past _consumed (< n + 1).
            _dueStopwatchTicks = Volatile.Read(ref feed._slots[n & feed._mask].DueTicks);
            _next = n + 1;

            // Room is released in steps, so the prefetcher is woken rarely.
            if ((n & 255) == 0 || Volatile.Read(ref feed._prefetcherWaiting) != 0)
            {
                Interlocked.Exchange(ref feed._consumed, n);
                if (Volatile.Read(ref feed._prefetcherWaiting) != 0)
                {
                    feed._room.Set();
                }
            }

            return true;
        }

        public readonly long CurrentTicks(long frequency) =>
            frequency == Stopwatch.Frequency
                ? _dueStopwatchTicks
                : (long)(_dueStopwatchTicks * ((double)frequency / Stopwatch.Frequency));
    }
}
