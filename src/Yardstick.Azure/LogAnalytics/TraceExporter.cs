using System.Globalization;
using Yardstick.Core.Replay;

namespace Yardstick.Azure.LogAnalytics;

/// <summary>What to export: one role's requests in <c>[From, To)</c> from a workspace.</summary>
public sealed record TraceExportRequest
{
    public required string WorkspaceId { get; init; }

    /// <summary>The App Insights role (<c>AppRoleName</c>; a function app's name).</summary>
    public required string Role { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Keep query values (secret-looking parameters stay redacted; <see cref="TracePaths"/>).</summary>
    public bool KeepQuery { get; init; }
}

/// <summary>How the export pages through the query API (AZURE-FACTS §3: at most 500,000 rows and ~100 MiB a query).</summary>
public sealed record TraceExportOptions
{
    /// <summary>
    /// Rows asked for per query; a slice that returns more is split in half. 50,000 rows of this projection are about
    /// 10 MB of JSON (50 MB with 1 KiB URLs): far from both service limits, and one slice is all that is held in memory.
    /// </summary>
    public int MaxRowsPerQuery { get; init; } = 50_000;

    /// <summary>The first slicing of the range (halved where a slice holds more than <see cref="MaxRowsPerQuery"/>).</summary>
    public TimeSpan Slice { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A slice this short that is still too full fails the export rather than splitting further.</summary>
    public TimeSpan MinSlice { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What an export wrote.</summary>
public sealed record TraceExportResult
{
    /// <summary><c>AppRequests</c> rows read.</summary>
    public long Records { get; init; }

    /// <summary>Trace lines written.</summary>
    public long Lines { get; init; }

    /// <summary>Rows without a usable URL (empty, not http(s), or a path over 8 KiB): not in the trace.</summary>
    public long SkippedWithoutPath { get; init; }

    /// <summary>Rows standing for more than one request (<c>ItemCount</c> &gt; 1, sampling on): the trace holds one line each.</summary>
    public long SampledRecords { get; init; }

    /// <summary>Requests the rows stand for (the sum of <c>ItemCount</c>).</summary>
    public long RepresentedRequests { get; init; }

    public int Queries { get; init; }

    public DateTimeOffset? First { get; init; }

    public DateTimeOffset? Last { get; init; }

    /// <summary>Distinct endpoint names written.</summary>
    public int Endpoints { get; init; }
}

/// <summary>
/// <c>yardstick trace export</c>: reads a role's <c>AppRequests</c> (time, name, URL, result code, duration) through the
/// Log Analytics query API and writes them as a trace, in time order, one slice at a time. The range is cut into
/// half-open slices queried oldest first (<see cref="AppRequestsQueries.TraceSlice"/>); a slice that comes back with
/// more than <see cref="TraceExportOptions.MaxRowsPerQuery"/> rows (it asks for one more to know) or truncated by the
/// service is split in half and asked again, so no query meets the API's row or size limit and no row is lost or
/// written twice.
/// </summary>
public sealed class TraceExporter(LogAnalyticsClient client, TraceExportOptions? options = null)
{
    /// <summary>A truncated answer with fewer rows than this is a real failure, not a too-large result (rows are ≤ ~9 KiB; the cap is ~100 MiB).</summary>
    private const int TruncationMinimumRows = 1_000;

    private readonly TraceExportOptions _options = options ?? new TraceExportOptions();

    public async Task<TraceExportResult> ExportAsync(TraceExportRequest request, TraceFileWriter writer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(request.From, request.To);
        var pending = new Stack<(DateTimeOffset From, DateTimeOffset To)>();
        var starts = new List<DateTimeOffset>();
        for (var start = request.From; start < request.To; start += _options.Slice)
        {
            starts.Add(start);
        }

        for (var i = starts.Count - 1; i >= 0; i--)
        {
            pending.Push((starts[i], i + 1 < starts.Count ? starts[i + 1] : request.To));
        }

        var tally = new Tally();
        while (pending.TryPop(out var slice))
        {
            var result = await client.QueryAsync(
                request.WorkspaceId,
                AppRequestsQueries.TraceSlice(request.Role, slice.From, slice.To, _options.MaxRowsPerQuery + 1),
                AppRequestsQueries.Timespan(slice.From, slice.To),
                cancellationToken);
            tally.Queries++;
            var table = result.PrimaryResult;
            var truncated = result.PartialError is not null && table.Rows.Count >= TruncationMinimumRows;
            if (result.PartialError is not null && !truncated)
            {
                throw new InvalidOperationException($"Log Analytics answered the query for {Describe(slice)} only in part: {result.PartialError}");
            }

            if (table.Rows.Count > _options.MaxRowsPerQuery || truncated)
            {
                if (slice.To - slice.From <= _options.MinSlice)
                {
                    throw new InvalidOperationException(
                        $"{Describe(slice)} holds more than {_options.MaxRowsPerQuery.ToString("N0", CultureInfo.InvariantCulture)} requests of '{request.Role}'; a trace this dense cannot be paged by time. Export a shorter range or sample it in KQL yourself.");
                }

                var middle = slice.From + TimeSpan.FromTicks((slice.To - slice.From).Ticks / 2);
                pending.Push((middle, slice.To));
                pending.Push((slice.From, middle));
                continue;
            }

            await WriteAsync(table, request.KeepQuery, writer, tally, cancellationToken);
        }

        return new TraceExportResult
        {
            Records = tally.Records,
            Lines = writer.Lines,
            SkippedWithoutPath = tally.Skipped,
            SampledRecords = tally.Sampled,
            RepresentedRequests = tally.Represented,
            Queries = tally.Queries,
            First = tally.First,
            Last = tally.Last,
            Endpoints = tally.Names.Count,
        };
    }

    private static async Task WriteAsync(LogTable table, bool keepQuery, TraceFileWriter writer, Tally tally, CancellationToken cancellationToken)
    {
        // The KQL orders the slice; a stable sort keeps the file valid even if a service answer did not.
        var order = Enumerable.Range(0, table.Rows.Count).OrderBy(r => table.Get<DateTimeOffset>(r, "TimeGenerated"));
        foreach (var row in order)
        {
            tally.Records++;
            var itemCount = (long)(AppRequestsQueries.Number(table, row, "ItemCount") ?? 1);
            tally.Represented += Math.Max(itemCount, 1);
            if (itemCount > 1)
            {
                tally.Sampled++;
            }

            var path = TracePaths.FromUrl(table.Get<string>(row, "Url"), keepQuery);
            if (path is null)
            {
                tally.Skipped++;
                continue;
            }

            var time = table.Get<DateTimeOffset>(row, "TimeGenerated");
            var name = EndpointName(table.Get<string>(row, "Name"));
            var method = TracePaths.MethodFromName(name);
            var code = table.Get<string>(row, "ResultCode") ?? AppRequestsQueries.Number(table, row, "ResultCode")?.ToString(CultureInfo.InvariantCulture);
            int? status = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 100 and <= 999 ? parsed : null;
            await writer.WriteAsync(time, method, name, path, status, AppRequestsQueries.Number(table, row, "DurationMs"), cancellationToken);
            tally.First ??= time;
            tally.Last = time;
            tally.Names.Add(name ?? method + " " + path.Split('?')[0]);
        }
    }

    /// <summary>The row's name as the trace format takes it (no control characters, at most 256 characters), or null when blank.</summary>
    private static string? EndpointName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var clean = string.Concat(name.Trim().Select(c => char.IsControl(c) ? ' ' : c));
        return clean.Length <= TraceReader.MaxNameLength ? clean : clean[..TraceReader.MaxNameLength];
    }

    private static string Describe((DateTimeOffset From, DateTimeOffset To) slice) =>
        $"[{TraceFileWriter.Format(slice.From)}, {TraceFileWriter.Format(slice.To)})";

    private sealed class Tally
    {
        public long Records { get; set; }

        public long Skipped { get; set; }

        public long Sampled { get; set; }

        public long Represented { get; set; }

        public int Queries { get; set; }

        public DateTimeOffset? First { get; set; }

        public DateTimeOffset? Last { get; set; }

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
