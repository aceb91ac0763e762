using System.CommandLine;
using System.Globalization;
using Azure.Identity;
using Spectre.Console;
using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Rest;
using Yardstick.Core;
using Yardstick.Core.Replay;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick trace export --workspace &lt;id&gt; --app &lt;role&gt; --from &lt;t&gt; --to &lt;t&gt; --out x.jsonl</c> writes a trace of
/// production traffic from Application Insights <c>AppRequests</c> (query values redacted unless <c>--keep-query</c>);
/// <c>yardstick trace show &lt;file&gt;</c> prints a trace's rate over time and endpoint mix. Replay runs it with
/// <c>load.model: replay</c> (README → Production replay).
/// </summary>
internal sealed class TraceCommand(CliContext context) : CommandBase(context)
{
    /// <summary>The longest range one export reads: a day of one role is already up to hundreds of queries.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromHours(24);

    public override Command Build()
    {
        var trace = new Command("trace", "Export production traffic from Application Insights as a trace file, or show one.");
        trace.Subcommands.Add(BuildExport());
        trace.Subcommands.Add(BuildShow());
        return trace;
    }

    private Command BuildExport()
    {
        var workspace = new Option<string>("--workspace") { Description = "Log Analytics workspace id (a GUID) the app's Application Insights writes to.", Required = true };
        var app = new Option<string>("--app") { Description = "The role to export (AppRoleName; a function app's name).", Required = true };
        var from = new Option<string>("--from") { Description = "Start of the range, ISO 8601 (UTC unless a zone is given), e.g. 2026-12-01T10:00Z.", Required = true };
        var to = new Option<string>("--to") { Description = $"End of the range (exclusive), at most {MaxRange.TotalHours:0} h after --from.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The trace file to write (JSON Lines), e.g. traces/peak.jsonl.", Required = true };
        var keepQuery = new Option<bool>("--keep-query") { Description = "Keep query-string values (default: REDACTED). Secret-looking parameters (code, sig, key, token…) stay redacted." };
        var force = new Option<bool>("--force") { Description = "Overwrite --out if it exists." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Log Analytics query API (default https://api.loganalytics.io; e.g. https://api.loganalytics.azure.cn)." };
        return Define(
            "export",
            "Write a trace of a role's requests (time, method, name, path, status, duration) from Application Insights AppRequests.",
            async (parse, cancellationToken) =>
            {
                var request = new TraceExportRequest
                {
                    WorkspaceId = CheckWorkspace(parse.GetValue(workspace)),
                    Role = CheckRole(parse.GetValue(app)),
                    From = ParseTime(parse.GetValue(from), "--from"),
                    To = ParseTime(parse.GetValue(to), "--to"),
                    KeepQuery = parse.GetValue(keepQuery),
                };
                CheckRange(request.From, request.To);
                var path = CheckOutput(parse.GetValue(output)!, parse.GetValue(force));
                var options = new LogAnalyticsClientOptions();
                if (parse.GetValue(endpoint) is { } url)
                {
                    // A bearer token goes to this host: https only.
                    options.Endpoint = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "https" && uri.PathAndQuery == "/"
                        ? uri
                        : throw new InputException("--endpoint", $"'{url}' is not an https base URL (for example https://api.loganalytics.io).");
                }

                if (Context.AzureTransport is { } transport)
                {
                    options.Transport = transport;
                }

                var client = new LogAnalyticsClient(Context.AzureCredential ?? new DefaultAzureCredential(), options);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // Written beside the target and moved into place at the end: a failed export leaves no half trace.
                var partial = path + ".partial";
                TraceExportResult result;
                try
                {
                    await using (var writer = new TraceFileWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024)))
                    {
                        result = await new TraceExporter(client).ExportAsync(request, writer, cancellationToken);
                    }

                    File.Move(partial, path, overwrite: true);
                }
                catch (Exception e) when (e is AzureApiException or InvalidOperationException or AuthenticationFailedException)
                {
                    File.Delete(partial);
                    await Context.Error.WriteLineAsync("yardstick: trace export failed: " + e.Message);
                    return ExitCodes.RunFailed;
                }
                catch
                {
                    File.Delete(partial);
                    throw;
                }

                PrintExport(request, result, path);
                return ExitCodes.Pass;
            },
            workspace, app, from, to, output, keepQuery, force, endpoint);
    }

    private Command BuildShow()
    {
        var file = new Argument<FileInfo>("file") { Description = "A trace file (JSON Lines)." };
        var json = new Option<bool>("--json") { Description = "Print the profile as JSON instead of tables." };
        return Define(
            "show",
            "Print a trace's requests, span, average and peak rate, rate over time and endpoint mix.",
            async (parse, cancellationToken) =>
            {
                var info = parse.GetValue(file)!;
                if (!info.Exists)
                {
                    throw new InputException("file", $"'{info.FullName}' does not exist.");
                }

                TraceProfile profile;
                using (var reader = TraceReader.Open(info.FullName, field: info.Name))
                {
                    profile = TraceProfile.Build(reader.ReadAll());
                }

                if (parse.GetValue(json))
                {
                    await Out.Profile.Out.Writer.WriteLineAsync(YardstickJson.Serialize(profile, indented: true));
                    return ExitCodes.Pass;
                }

                PrintProfile(info.Name, profile);
                return ExitCodes.Pass;
            },
            file, json);
    }

    private void PrintExport(TraceExportRequest request, TraceExportResult result, string path)
    {
        var span = result.First is { } first && result.Last is { } last ? $"{Time(first)} to {Time(last)} ({Span((last - first).TotalSeconds)})" : "no requests";
        Out.MarkupLine(
            $"Wrote [bold]{Markup.Escape(path)}[/]: {Count(result.Lines)} request(s) of '{Markup.Escape(request.Role)}', {Markup.Escape(span)}, "
            + $"{result.Endpoints} endpoint(s), {result.Queries} quer{(result.Queries == 1 ? "y" : "ies")}; query values {(request.KeepQuery ? "kept (secret-looking ones redacted)" : "redacted")}.");
        if (result.SkippedWithoutPath > 0)
        {
            Out.MarkupLine($"  [yellow]•[/] {Count(result.SkippedWithoutPath)} record(s) had no usable URL (empty, not http(s), or over 8 KiB) and are not in the trace.");
        }

        if (result.SampledRecords > 0)
        {
            Out.MarkupLine(
                $"  [yellow]•[/] {Count(result.SampledRecords)} record(s) were sampled (ItemCount > 1): the {Count(result.Records)} record(s) stand for {Count(result.RepresentedRequests)} requests, "
                + "and the trace holds one line each, so its rate is lower than production's. Exclude requests from sampling (host.json excludedTypes: Request).");
        }
    }

    private void PrintProfile(string name, TraceProfile profile)
    {
        if (profile.Requests == 0)
        {
            Out.MarkupLine($"[bold]{Markup.Escape(name)}[/]: no requests.");
            return;
        }

        var average = profile.AverageRatePerSecond is { } rate ? $"{Rate(rate)}/s" : "n/a (one instant)";
        Out.MarkupLine(
            $"[bold]{Markup.Escape(name)}[/]: {Count(profile.Requests)} request(s) from {Time(profile.First!.Value)} to {Time(profile.Last!.Value)} ({Span(profile.SpanSeconds)}); "
            + $"average {average}, peak {Count(profile.PeakPerSecond)}/s at {Time(profile.PeakAt!.Value)}"
            + (profile.WithBody > 0 ? $"; {Count(profile.WithBody)} with a body." : "."));

        var bucket = Span(profile.BucketSizeSeconds);
        var rateTable = new Table().Border(TableBorder.Simple).Title($"rate over time ({Markup.Escape(bucket)} buckets)");
        rateTable.AddColumns("offset", "start (UTC)", "requests", "per second", "");
        var peak = Math.Max(1, profile.Rate.Max(b => b.Requests));
        foreach (var b in profile.Rate)
        {
            rateTable.AddRow(
                "+" + Offset(b.OffsetSeconds),
                b.Start.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                Count(b.Requests),
                Rate(b.RatePerSecond),
                new string('█', (int)Math.Round(40.0 * b.Requests / peak)));
        }

        Out.Write(rateTable);

        var mix = new Table().Border(TableBorder.Simple).Title("endpoint mix");
        mix.AddColumns("endpoint", "requests", "share", "status codes", "median duration");
        foreach (var e in profile.Endpoints)
        {
            mix.AddRow(
                Markup.Escape(e.Name),
                Count(e.Requests),
                (e.Share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %",
                e.Statuses.Count == 0 ? "-" : string.Join(" ", e.Statuses.OrderByDescending(s => s.Value).ThenBy(s => s.Key).Take(4).Select(s => $"{s.Key}×{Count(s.Value)}")) + (e.Statuses.Count > 4 ? " …" : ""),
                e.MedianDurationMs is { } ms ? ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms" : "-");
        }

        if (profile.OtherEndpoints > 0)
        {
            mix.AddRow($"(other names past the first {TraceProfile.MaxEndpoints})", Count(profile.OtherEndpoints), (100.0 * profile.OtherEndpoints / profile.Requests).ToString("0.0", CultureInfo.InvariantCulture) + " %", "", "");
        }

        Out.Write(mix);
    }

    internal static string CheckWorkspace(string? value) =>
        Guid.TryParse(value, out var id)
            ? id.ToString("D")
            : throw new InputException("--workspace", $"'{value}' is not a Log Analytics workspace id (a GUID, the workspace's 'Workspace ID').");

    internal static string CheckRole(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 260 || value.Any(char.IsControl))
        {
            throw new InputException("--app", "give the role name (AppRoleName, the function app's name): 1 to 260 characters, no control characters.");
        }

        return value.Trim();
    }

    internal static DateTimeOffset ParseTime(string? text, string option) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InputException(option, $"'{text}' is not a time; give ISO 8601, e.g. 2026-12-01T10:00:00Z.");

    internal static void CheckRange(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new InputException("--to", $"{Time(to)} is not after --from ({Time(from)}).");
        }

        if (to - from > MaxRange)
        {
            throw new InputException("--to", $"the range is {Span((to - from).TotalSeconds)}; export at most {MaxRange.TotalHours:0} h at a time (several files replay one after another).");
        }
    }

    private static string CheckOutput(FileInfo output, bool force)
    {
        if (Directory.Exists(output.FullName))
        {
            throw new InputException("--out", $"'{output.FullName}' is a directory; give the trace file's path, e.g. traces/peak.jsonl.");
        }

        if (output.Exists && !force)
        {
            throw new InputException("--out", $"'{output.FullName}' exists; pass --force to overwrite it.");
        }

        return output.FullName;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Rate(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Offset(double seconds) => TimeSpan.FromSeconds(seconds).ToString(seconds >= 86400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);

    private static string Span(double seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalSeconds < 60 ? $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{(int)span.TotalHours} h {span.Minutes} min";
    }
}
