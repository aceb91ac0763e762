using System.Text;
using System.Text.Json;

namespace Yardstick.Core.Datasets;

/// <summary>A dataset that cannot be read: the message names the file and, where it can, the line.</summary>
public sealed class DatasetException(string message) : Exception(message);

/// <summary>
/// Reads a dataset one row at a time, never holding more than the current row: CSV with a header row (RFC 4180:
/// quoted fields, doubled quotes, separators and line breaks inside quotes; a UTF-8 BOM is skipped) or JSON Lines of
/// flat objects (the first object's keys are the columns; strings as they are, numbers and booleans as their JSON
/// text, null and missing keys as empty). Rows longer than <see cref="MaxRowChars"/> are refused, which bounds memory.
/// </summary>
public sealed class DatasetReader : IDisposable
{
    /// <summary>Longest row accepted (characters): a row is held whole, so this bounds a reader's memory.</summary>
    public const int MaxRowChars = 1 << 20;

    /// <summary>Most columns a dataset may have.</summary>
    public const int MaxColumns = 256;

    private readonly StreamReader _reader;
    private readonly string _name;
    private readonly bool _jsonl;
    private readonly StringBuilder _field = new();

    // The current CSV record: every field's characters one after another in _chars, field i ending at _ends[i]. Read
    // into buffers that are reused, so a row handed to a DataRowBuffer allocates nothing.
    private readonly List<int> _ends = [];
    private char[] _chars = new char[256];
    private int _used;
    private int _fieldStart;
    private string[]? _scratch;
    private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);
    private long _line;

    /// <summary>Opens <paramref name="stream"/> (owned) and reads the columns (CSV header or first JSONL object's keys).</summary>
    /// <param name="stream">The dataset's bytes (owned: disposed with the reader).</param>
    /// <param name="name">The dataset's name for messages (data/users.csv).</param>
    /// <param name="jsonl">JSON Lines rather than CSV.</param>
    /// <exception cref="DatasetException">The file is empty, the header is malformed, or the first object is not flat.</exception>
    public DatasetReader(Stream stream, string name, bool jsonl)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        _name = name;
        _jsonl = jsonl;
        if (jsonl)
        {
            var first = NextJsonLine();
            if (first is null)
            {
                throw new DatasetException($"{name} is empty: a JSON Lines dataset needs at least one object (its keys are the columns).");
            }

            var columns = new List<string>();
            ParseObject(first, columns, null);
            Columns = columns;
            _pendingFirst = first;
        }
        else
        {
            if (!ReadCsvRecord())
            {
                throw new DatasetException($"{name} is empty: a CSV dataset needs a header row naming its columns.");
            }

            Columns = [.. Enumerable.Range(0, _ends.Count).Select(i => new string(Field(i)))];
            for (var i = 0; i < Columns.Count; i++)
            {
                if (Columns[i].Length == 0)
                {
                    throw new DatasetException($"{name}: column {i + 1} of the header row has no name.");
                }
            }
        }

        if (Columns.Count > MaxColumns)
        {
            throw new DatasetException($"{name} has {Columns.Count} columns; at most {MaxColumns}.");
        }

        for (var i = 0; i < Columns.Count; i++)
        {
            if (!_columnIndex.TryAdd(Columns[i], i))
            {
                throw new DatasetException($"{name}: column '{Columns[i]}' appears twice.");
            }
        }
    }

    private string? _pendingFirst;

    /// <summary>Opens a file by its extension (.csv, .jsonl or .ndjson).</summary>
    public static DatasetReader Open(string path, string name) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), name, IsJsonLines(path));

    /// <summary>True for .jsonl and .ndjson names.</summary>
    public static bool IsJsonLines(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Reads the next row's values into <paramref name="values"/> (one per column; a short CSV row's missing values and a
    /// JSONL object's missing keys are empty). False at the end of the file.
    /// </summary>
    /// <exception cref="DatasetException">A malformed row (too many fields, an unclosed quote, a nested JSON value...).</exception>
    public bool Next(string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Array.Fill(values, "");
        if (_jsonl)
        {
            var line = _pendingFirst ?? NextJsonLine();
            _pendingFirst = null;
            if (line is null)
            {
                return false;
            }

            ParseObject(line, null, values);
            return true;
        }

        if (!NextCsvRow())
        {
            return false;
        }

        for (var i = 0; i < _ends.Count && i < values.Length; i++)
        {
            values[i] = new string(Field(i));
        }

        return true;
    }

    /// <summary>
    /// Reads the next row into <paramref name="row"/> (UTF-8; missing values empty). A CSV row allocates nothing once the
    /// buffers have grown to the longest row; a JSON Lines row is parsed through strings. False at the end of the file.
    /// </summary>
    /// <exception cref="DatasetException">A malformed row.</exception>
    public bool Next(DataRowBuffer row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_jsonl)
        {
            var values = _scratch ??= new string[Columns.Count];
            if (!Next(values))
            {
                return false;
            }

            row.Clear();
            for (var i = 0; i < values.Length && i < row.Columns; i++)
            {
                Write(row, i, values[i]);
            }

            return true;
        }

        if (!NextCsvRow())
        {
            return false;
        }

        row.Clear();
        for (var i = 0; i < _ends.Count && i < row.Columns; i++)
        {
            Write(row, i, Field(i));
        }

        return true;
    }

    /// <summary>
    /// Starts again at the first row, reusing this reader's buffers, when the stream can seek (a file); false when it
    /// cannot (the caller opens the dataset again).
    /// </summary>
    public bool TryRewind()
    {
        var stream = _reader.BaseStream;
        if (!stream.CanSeek)
        {
            return false;
        }

        // The reader skipped a byte order mark when it first read the stream; it does not look for one again.
        Span<byte> bom = stackalloc byte[3];
        stream.Position = 0;
        var read = stream.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        stream.Position = read == 3 && bom.SequenceEqual("\uFEFF"u8) ? 3 : 0;
        _reader.DiscardBufferedData();
        _line = 0;
        if (_jsonl)
        {
            _pendingFirst = NextJsonLine();
        }
        else
        {
            ReadCsvRecord();
        }

        return true;
    }

    private static void Write(DataRowBuffer row, int column, ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
        {
            return;
        }

        var span = row.Reserve(column, Encoding.UTF8.GetMaxByteCount(value.Length));
        row.Trim(column, Encoding.UTF8.GetBytes(value, span));
    }

    /// <summary>The next CSV record that is not a blank line, checked against the header; false at the end.</summary>
    private bool NextCsvRow()
    {
        while (ReadCsvRecord())
        {
            if (_ends.Count == 1 && _ends[0] == 0)
            {
                continue; // a blank line
            }

            if (_ends.Count > Columns.Count)
            {
                throw new DatasetException($"{_name} line {_line}: {_ends.Count} fields, but the header names {Columns.Count} columns.");
            }

            return true;
        }

        return false;
    }

    /// <summary>Field <paramref name="index"/> of the current CSV record.</summary>
    private ReadOnlySpan<char> Field(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1];
        return _chars.AsSpan(start, _ends[index] - start);
    }

    private string? NextJsonLine()
    {
        while (true)
        {
            var line = ReadLineBounded();
            if (line is null)
            {
                return null;
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                return line;
            }
        }
    }

    private string? ReadLineBounded()
    {
        _field.Clear();
        int c;
        var any = false;
        while ((c = Read()) >= 0)
        {
            any = true;
            if (c == '\n')
            {
                break;
            }

            if (c != '\r')
            {
                Append((char)c);
            }
        }

        _line++;
        return any ? _field.ToString() : null;
    }

    private void ParseObject(string line, List<string>? header, string[]? values)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new DatasetException($"{_name} line {_line}: each line must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                string value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Null => "",
                    _ => throw new DatasetException($"{_name} line {_line}: '{key}' is a nested {(reader.TokenType == JsonTokenType.StartArray ? "array" : "object")}; a dataset's objects must be flat."),
                };
                if (header is not null)
                {
                    header.Add(key);
                }
                else if (values is not null && _columnIndex.TryGetValue(key, out var column))
                {
                    values[column] = value;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new DatasetException($"{_name} line {_line}: text after the object; each line holds exactly one JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{_name} line {_line}: not valid JSON ({e.Message.Split('.')[0]}).");
        }
    }

    /// <summary>Reads one CSV record into <see cref="_chars"/> and <see cref="_ends"/>; false at the end of the file.</summary>
    private bool ReadCsvRecord()
    {
        _ends.Clear();
        _used = 0;
        _fieldStart = 0;
        var c = Read();
        if (c < 0)
        {
            return false;
        }

        _line++;
        var start = _line;
        var chars = 0;
        while (true)
        {
            if (c == '"' && _used == _fieldStart)
            {
                // A quoted field: anything up to the closing quote, "" standing for one quote.
                while (true)
                {
                    c = Read();
                    if (c < 0)
                    {
                        throw new DatasetException($"{_name} line {start}: a quoted field is never closed.");
                    }

                    if (c == '"')
                    {
                        c = Read();
                        if (c != '"')
                        {
                            break;
                        }
                    }
                    else if (c == '\n')
                    {
                        _line++;
                    }

                    AppendCsv((char)c);
                    if (++chars > MaxRowChars)
                    {
                        throw TooLong(start);
                    }
                }

                if (c is not (',' or '\n' or '\r' or -1))
                {
                    throw new DatasetException($"{_name} line {_line}: text after a closing quote (write a quote inside a quoted field as \"\").");
                }
            }

            if (c is ',' or '\n' or '\r' or -1)
            {
                _ends.Add(_used);
                _fieldStart = _used;
                if (_ends.Count > MaxColumns + 1)
                {
                    throw new DatasetException($"{_name} line {start}: more than {MaxColumns} fields.");
                }

                if (c == ',')
                {
                    c = Read();
                    continue;
                }

                if (c == '\r' && _reader.Peek() == '\n')
                {
                    Read();
                }

                return true;
            }

            AppendCsv((char)c);
            if (++chars > MaxRowChars)
            {
                throw TooLong(start);
            }

            c = Read();
        }
    }

    private DatasetException TooLong(long line) => new($"{_name} line {line}: a row longer than {MaxRowChars:N0} characters.");

    private int Read()
    {
        try
        {
            return _reader.Read();
        }
        catch (DecoderFallbackException)
        {
            throw new DatasetException($"{_name} near line {_line}: not valid UTF-8.");
        }
    }

    private void AppendCsv(char c)
    {
        if (_used - _fieldStart >= MaxRowChars)
        {
            throw TooLong(_line);
        }

        if (_used == _chars.Length)
        {
            Array.Resize(ref _chars, _chars.Length * 2);
        }

        _chars[_used++] = c;
    }

    private void Append(char c)
    {
        if (_field.Length >= MaxRowChars)
        {
            throw TooLong(_line);
        }

        _field.Append(c);
    }

    public void Dispose() => _reader.Dispose();
}
