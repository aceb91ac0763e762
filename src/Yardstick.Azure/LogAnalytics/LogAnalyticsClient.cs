using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Yardstick.Azure.Rest;
using Yardstick.Core.Cost;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.LogAnalytics;

/// <summary>
/// Log Analytics query API: <c>POST https://api.loganalytics.io/v1/workspaces/{id}/query</c> with
/// <c>{query, timespan}</c> (AZURE-FACTS §3). Also the server-side view of a run from <c>AppRequests</c>.
/// </summary>
public sealed class LogAnalyticsClient : IServerTelemetrySource
{
    private readonly LogAnalyticsClientOptions _options;
    private readonly AzureRestPipeline _pipeline;

    public LogAnalyticsClient(TokenCredential credential, LogAnalyticsClientOptions? options = null)
    {
        _options = options ?? new LogAnalyticsClientOptions();
        if (_options.Retry.NetworkTimeout <= _options.QueryTimeout)
        {
            throw new ArgumentException(
                $"Retry.NetworkTimeout ({_options.Retry.NetworkTimeout}) must exceed QueryTimeout ({_options.QueryTimeout}), the Prefer: wait the service may use; otherwise a slow query is dropped and retried.",
                nameof(options));
        }

        _pipeline = new AzureRestPipeline(AzureApi.LogAnalytics, credential, _options);
    }

    /// <summary>
    /// Runs a KQL query. <paramref name="timespan"/> is an ISO 8601 period or <c>start/end</c>; the service applies it
    /// in addition to any time filter in the query.
    /// </summary>
    public async Task<LogQueryResult> QueryAsync(string workspaceId, string query, string? timespan, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(workspaceId, out _))
        {
            throw new Core.InputException("target.azure.logAnalyticsWorkspaceId", $"'{workspaceId}' is not a workspace id (a GUID)");
        }

        var uri = AzureUris.Build(_options.Endpoint, $"/v1/workspaces/{Uri.EscapeDataString(workspaceId)}/query");
        var request = new JsonObject { ["query"] = query };
        if (timespan is not null)
        {
            request["timespan"] = timespan;
        }

        var body = BinaryData.FromString(request.ToJsonString());
        var headers = new Dictionary<string, string>
        {
            ["Prefer"] = "wait=" + ((int)_options.QueryTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        var response = await _pipeline.SendAsync(RequestMethod.Post, uri, body, cancellationToken, headers: headers);
        using var json = response.Json();
        return Parse(json.RootElement, response);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServerRequest>> GetRequestsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = await QueryAsync(workspaceId, AppRequestsQueries.Requests(appName, from, to), AppRequestsQueries.Timespan(from, to), cancellationToken);
        return AppRequestsQueries.ReadRequests(result.PrimaryResult);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceFirstSeen>> GetInstanceFirstSeenAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = await QueryAsync(workspaceId, AppRequestsQueries.InstanceFirstSeen(appName, from, to), AppRequestsQueries.Timespan(from, to), cancellationToken);
        return AppRequestsQueries.ReadInstanceFirstSeen(result.PrimaryResult);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DurationBucket>> GetDurationBucketsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var result = await QueryAsync(workspaceId, AppRequestsQueries.DurationBuckets(appName, from, to), AppRequestsQueries.Timespan(from, to), cancellationToken);
        return AppRequestsQueries.ReadDurationBuckets(result.PrimaryResult);
    }

    private static LogQueryResult Parse(JsonElement root, AzureRestResponse response)
    {
        if (JsonRead.Property(root, "tables") is not { ValueKind: JsonValueKind.Array } tables)
        {
            throw response.Malformed("the 'tables' array is missing");
        }

        var parsed = new List<LogTable>();
        foreach (var table in tables.EnumerateArray())
        {
            var name = JsonRead.String(table, "name") ?? "";
            var columns = JsonRead.Array(table, "columns")
                .Select(c => new LogColumn(JsonRead.String(c, "name") ?? "", JsonRead.String(c, "type") ?? "string"))
                .ToList();
            var rows = new List<IReadOnlyList<object?>>();
            var rowIndex = 0;
            foreach (var row in JsonRead.Array(table, "rows"))
            {
                var cells = row.ValueKind == JsonValueKind.Array ? row.EnumerateArray().ToList() : [];
                if (cells.Count != columns.Count)
                {
                    throw response.Malformed($"table {name} row {rowIndex} has {cells.Count} cells for {columns.Count} columns");
                }

                var values = new object?[cells.Count];
                for (var i = 0; i < cells.Count; i++)
                {
                    try
                    {
                        values[i] = LogTable.Convert(cells[i], columns[i].Type);
                    }
                    catch (Exception e) when (e is FormatException or OverflowException)
                    {
                        throw response.Malformed($"table {name} row {rowIndex} column {columns[i].Name} ({columns[i].Type}): {cells[i].GetRawText()} does not fit the type", e);
                    }
                }

                rows.Add(values);
                rowIndex++;
            }

            parsed.Add(new LogTable { Name = name, Columns = columns, Rows = rows });
        }

        var error = JsonRead.Property(root, "error") is { ValueKind: JsonValueKind.Object } e2
            ? $"{JsonRead.String(e2, "code")}: {JsonRead.String(e2, "message")}"
            : null;
        return new LogQueryResult { Tables = parsed, PartialError = error };
    }
}
