using System.Text;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Datasets;

/// <summary>
/// A shard's rows of a dataset file, streamed: one reader, one row (or, for <see cref="DataMode.Random"/>, one window of
/// <see cref="RandomWindow"/> rows) in memory at a time. Requests take rows from a shared cursor in the order they are
/// sent, so the sequence of rows a shard uses is fixed by the file, the mode, the shard and the seed:
/// <list type="bullet">
/// <item><see cref="DataMode.Sequential"/>: every shard walks the rows in file order.</item>
/// <item><see cref="DataMode.Unique"/>: shard i of n takes the rows whose index (0-based, after the header) is i mod n,
/// in file order, so no row is used by two shards (or twice, unless <c>onExhausted: wrap</c>).</item>
/// <item><see cref="DataMode.Random"/>: the file is read in windows of <see cref="RandomWindow"/> rows, each window
/// shuffled by a seeded Fisher-Yates (seed, shard and window number), so the same seed always gives the same order.</item>
/// </list>
/// A blob dataset whose ETag changes while it is read (or reopened to wrap) stops the shard like exhaustion, with the reason.
/// When the shard's rows run out, <see cref="DataExhaustion.Wrap"/> reopens the file and
/// <see cref="DataExhaustion.Stop"/> makes <see cref="TryRead"/> answer false from then on (the engine sends nothing for
/// those arrivals; <see cref="Exhausted"/> says so).
/// </summary>
public sealed class DatasetRows : IDataRows, IDisposable
{
    /// <summary>Rows shuffled together in random mode (bounded memory: at most this many rows are held).</summary>
    public const int RandomWindow = 1024;

    private readonly Func<DatasetReader> _open;
    private readonly DataMode _mode;
    private readonly DataExhaustion _exhaustion;
    private readonly int _shardIndex;
    private readonly int _shardCount;
    private readonly long _seed;
    private readonly object _gate = new();
    private readonly bool _rewind;
    private DatasetReader _reader;
    private long _fileRow;
    private readonly List<string[]> _window = [];
    private int _windowAt;
    private long _windowNumber;
    private long _used;
    private bool _stopped;
    private bool _passHadRows;
    private string? _changed;

    /// <param name="open">Opens the dataset from its start (called again to wrap).</param>
    /// <param name="spec">Mode, seed and exhaustion rule.</param>
    /// <param name="shardIndex">This shard's index (0-based).</param>
    /// <param name="shardCount">Shards of the run.</param>
    /// <param name="seed">The shard's seed, used when <see cref="DataSpec.Seed"/> is not set.</param>
    public DatasetRows(Func<DatasetReader> open, DataSpec spec, int shardIndex, int shardCount, long seed)
        : this(open, spec, shardIndex, shardCount, seed, rewind: false)
    {
    }

    /// <inheritdoc cref="DatasetRows(Func{DatasetReader}, DataSpec, int, int, long)"/>
    /// <param name="open">Opens the dataset from its start.</param>
    /// <param name="spec">Mode, seed and exhaustion rule.</param>
    /// <param name="shardIndex">This shard's index (0-based).</param>
    /// <param name="shardCount">Shards of the run.</param>
    /// <param name="seed">The shard's seed, used when <see cref="DataSpec.Seed"/> is not set.</param>
    /// <param name="rewind">Wrap by seeking the open reader back to its first row (a file, which cannot change
    /// underneath: it is opened without write sharing) rather than opening it again.</param>
    private DatasetRows(Func<DatasetReader> open, DataSpec spec, int shardIndex, int shardCount, long seed, bool rewind)
    {
        _rewind = rewind;
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shardCount, shardIndex);
        _open = open;
        _mode = spec.Mode;
        _exhaustion = spec.Exhaustion;
        _shardIndex = shardIndex;
        _shardCount = shardCount;
        _seed = spec.Seed is { } s ? Load.Seeds.Derive(s, 0, "", shardIndex) : seed;
        _reader = open();
        Columns = _reader.Columns;
    }

    /// <summary>Opens a dataset file for a shard.</summary>
    public static DatasetRows OpenFile(string path, string name, DataSpec spec, int shardIndex, int shardCount, long seed) =>
        new(() => DatasetReader.Open(path, name), spec, shardIndex, shardCount, seed, rewind: true);

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows handed out so far.</summary>
    public long RowsUsed => Interlocked.Read(ref _used);

    /// <summary>True once the shard's rows ran out under <c>onExhausted: stop</c>.</summary>
    public bool Exhausted
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    /// <summary>The reason to state in the shard's result when it stopped for want of rows; null otherwise.</summary>
    public string? ExhaustedReason => Exhausted
        ? _changed is not null
            ? $"the dataset stopped after {RowsUsed} row(s) for this shard: {_changed} Later arrivals were not sent"
            : $"the dataset ran out after {RowsUsed} row(s) for this shard ({ModeText}, onExhausted: stop): later arrivals were not sent"
        : null;

    private string ModeText => _mode switch
    {
        DataMode.Unique => $"unique: shard {_shardIndex} of {_shardCount} takes every {_shardCount}th row",
        DataMode.Random => "random",
        _ => "sequential",
    };

    /// <inheritdoc/>
    public bool TryRead(long rowKey, DataRowBuffer row)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (_gate)
        {
            if (_mode != DataMode.Random)
            {
                // Straight from the reader into the connection's buffer: no string per value.
                if (!NextRow(row))
                {
                    return false;
                }

                _used++;
                return true;
            }

            var values = NextRow();
            if (values is null)
            {
                return false;
            }

            _used++;
            row.Clear();
            for (var i = 0; i < values.Length && i < row.Columns; i++)
            {
                var value = values[i];
                if (value.Length == 0)
                {
                    continue;
                }

                var span = row.Reserve(i, Encoding.UTF8.GetMaxByteCount(value.Length));
                row.Trim(i, Encoding.UTF8.GetBytes(value, span));
            }

            return true;
        }
    }

    /// <summary>Sequential and unique modes: this shard's next row into <paramref name="row"/> (the caller holds the lock); false when exhausted.</summary>
    private bool NextRow(DataRowBuffer row)
    {
        if (_stopped)
        {
            return false;
        }

        try
        {
            return NextOwnRow(null, row);
        }
        catch (Ports.DatasetChangedException e)
        {
            Stop(e);
            return false;
        }
    }

    /// <summary>Random mode: the next row of this shard's shuffled window (the caller holds the lock); null when exhausted.</summary>
    private string[]? NextRow()
    {
        if (_stopped)
        {
            return null;
        }

        try
        {
            return NextRandomRow();
        }
        catch (Ports.DatasetChangedException e)
        {
            Stop(e);
            return null;
        }
    }

    /// <summary>A blob replaced mid-run: rows after this point would not be the recorded dataset's, so the shard stops.</summary>
    private void Stop(Ports.DatasetChangedException e)
    {
        _changed = e.Message;
        _stopped = true;
    }

    private string[]? NextRandomRow()
    {

        if (_windowAt >= _window.Count)
        {
            _window.Clear();
            _windowAt = 0;
            while (_window.Count < RandomWindow)
            {
                var values = new string[Columns.Count];
                if (!NextOwnRow(values, null, allowWrap: _window.Count == 0))
                {
                    break;
                }

                _window.Add(values);
            }

            if (_window.Count == 0)
            {
                return null;
            }

            Shuffle(_window, _seed, _windowNumber++);
        }

        return _window[_windowAt++];
    }

    /// <summary>Reads this shard's next row from the file (into <paramref name="values"/>, else into <paramref name="row"/>), wrapping or stopping at the end.</summary>
    private bool NextOwnRow(string[]? values, DataRowBuffer? row, bool allowWrap = true)
    {
        while (true)
        {
            while (values is not null ? _reader.Next(values) : _reader.Next(row!))
            {
                var index = _fileRow++;
                if (_mode != DataMode.Unique || index % _shardCount == _shardIndex)
                {
                    _passHadRows = true;
                    return true;
                }
            }

            // End of the file: wrap (when this pass found a row; an empty share would loop for ever) or stop.
            if (!allowWrap)
            {
                return false;
            }

            if (_exhaustion == DataExhaustion.Stop || !_passHadRows)
            {
                _stopped = true;
                return false;
            }

            if (!_rewind || !_reader.TryRewind())
            {
                _reader.Dispose();
                _reader = _open();
            }

            _fileRow = 0;
            _passHadRows = false;
        }
    }

    private static void Shuffle(List<string[]> rows, long seed, long window)
    {
        var state = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(window + 1));
        for (var i = rows.Count - 1; i > 0; i--)
        {
            var j = (int)(SplitMix(ref state) % (ulong)(i + 1));
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _reader.Dispose();
        }
    }
}
