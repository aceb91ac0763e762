using System.Globalization;
using System.Text;
using Yardstick.Core.Cost;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.LogAnalytics;

/// <summary>
/// KQL over the workspace-based <c>AppRequests</c> table (AZURE-FACTS §3: TimeGenerated, Name, DurationMs,
/// Success, ResultCode, AppRoleName, AppRoleInstance, ItemCount), with values escaped as KQL string literals,
/// and readers for the results. Keep requests unsampled (host.json <c>excludedTypes: Request</c>); ItemCount
/// weights any sampled record.
/// </summary>
public static class AppRequestsQueries
{
    /// <summary>One row per request in the window: server duration and serving instance.</summary>
    public static string Requests(string appName, DateTimeOffset from, DateTimeOffset to) =>
        Filter(appName, from, to)
        + "| project TimeGenerated, Name, DurationMs, Success, ResultCode, AppRoleInstance, ItemCount\n"
        + "| order by TimeGenerated asc";

    /// <summary>First time each role instance served in the window: a new instance means a cold start.</summary>
    public static string InstanceFirstSeen(string appName, DateTimeOffset from, DateTimeOffset to) =>
        Filter(appName, from, to)
        + "| summarize FirstSeen = min(TimeGenerated), Requests = sum(ItemCount) by AppRoleInstance\n"
        + "| order by FirstSeen asc";

    /// <summary>Server durations rounded up to whole ms (the Consumption rounding) with their weighted counts.</summary>
    public static string DurationBuckets(string appName, DateTimeOffset from, DateTimeOffset to) =>
        Filter(appName, from, to)
        + "| summarize Count = sum(ItemCount) by DurationMs = ceiling(DurationMs)\n"
        + "| order by DurationMs asc";

    /// <summary>
    /// One page of a trace export: the requests of the role in <c>[from, to)</c> (half-open, so adjacent slices never
    /// share a row), oldest first, with what a trace line needs, at most <paramref name="take"/> rows.
    /// </summary>
    public static string TraceSlice(string appName, DateTimeOffset from, DateTimeOffset to, int take)
    {
        RequireName(appName);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        return "AppRequests\n"
            + $"| where TimeGenerated >= {KqlDateTime(from)} and TimeGenerated < {KqlDateTime(to)}\n"
            + $"| where AppRoleName =~ {KqlString(appName)}\n"
            + "| project TimeGenerated, Name, Url, ResultCode, DurationMs, ItemCount\n"
            + "| order by TimeGenerated asc\n"
            + $"| take {take.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The body's <c>timespan</c> for the same window (start/end), applied by the service on top of the KQL filter.</summary>
    public static string Timespan(DateTimeOffset from, DateTimeOffset to) =>
        $"{from.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}/{to.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}";

    /// <summary>A KQL double-quoted string literal: backslash, quote and control characters escaped.</summary>
    public static string KqlString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        throw new ArgumentException($"control character U+{(int)c:X4} is not allowed in a query value", nameof(value));
                    }

                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A KQL datetime literal in UTC with 100 ns precision.</summary>
    public static string KqlDateTime(DateTimeOffset time) =>
        $"datetime({time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)})";

    public static IReadOnlyList<ServerRequest> ReadRequests(LogTable table) =>
        Enumerable.Range(0, table.Rows.Count)
            .Select(r => new ServerRequest
            {
                Timestamp = table.Get<DateTimeOffset>(r, "TimeGenerated"),
                Name = table.Get<string>(r, "Name") ?? "",
                DurationMs = Number(table, r, "DurationMs"),
                Success = table.Get<bool?>(r, "Success"),
                ResultCode = table.Get<string>(r, "ResultCode") ?? Number(table, r, "ResultCode")?.ToString(CultureInfo.InvariantCulture),
                RoleInstance = table.Get<string>(r, "AppRoleInstance"),
                ItemCount = (long)(Number(table, r, "ItemCount") ?? 1),
            })
            .ToList();

    public static IReadOnlyList<InstanceFirstSeen> ReadInstanceFirstSeen(LogTable table) =>
        Enumerable.Range(0, table.Rows.Count)
            .Select(r => new InstanceFirstSeen(
                table.Get<string>(r, "AppRoleInstance") ?? "",
                table.Get<DateTimeOffset>(r, "FirstSeen"),
                (long)(Number(table, r, "Requests") ?? 0)))
            .Where(i => i.RoleInstance.Length > 0)
            .ToList();

    public static IReadOnlyList<DurationBucket> ReadDurationBuckets(LogTable table) =>
        Enumerable.Range(0, table.Rows.Count)
            .Select(r => (Duration: Number(table, r, "DurationMs"), Count: Number(table, r, "Count")))
            .Where(b => b.Duration is not null && b.Count is > 0)
            .Select(b => new DurationBucket(b.Duration!.Value, (long)b.Count!.Value))
            .ToList();

    private static string Filter(string appName, DateTimeOffset from, DateTimeOffset to)
    {
        RequireName(appName);
        return "AppRequests\n"
            + $"| where TimeGenerated between ({KqlDateTime(from)} .. {KqlDateTime(to)})\n"
            + $"| where AppRoleName =~ {KqlString(appName)}\n";
    }

    private static void RequireName(string appName)
    {
        if (string.IsNullOrWhiteSpace(appName))
        {
            throw new ArgumentException("the app (role) name is required", nameof(appName));
        }
    }

    /// <summary>A numeric cell whatever its column type (long, real, or an int stored as real).</summary>
    internal static double? Number(LogTable table, int row, string column)
    {
        var index = table.IndexOf(column);
        return index < 0 ? null : table.Rows[row][index] switch
        {
            long l => l,
            double d => d,
            int i => i,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        };
    }
}
