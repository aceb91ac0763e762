using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Trends;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Api;

/// <summary>
/// Trends over HTTP, through Core's <see cref="TrendReader"/> (the code behind <c>yardstick trend</c>):
/// <list type="bullet">
/// <item><c>GET /api/workloads</c>: every workload the app knows (registered or deployed with the app), each with its
/// newest run, that run's verdict and the p95 trend direction of its settings key over <c>?days=</c> (default 30).</item>
/// <item><c>GET /api/workloads/{name}/trend?metric=&amp;days=&amp;settings=</c>: the <see cref="TrendReport"/> JSON.</item>
/// </list>
/// Query parameters are validated by <see cref="TrendRequest.Parse"/>; every refusal is a problem+json 400 naming the
/// parameter (a parameter given twice, too). Reads: per workload one Runs partition (newest row for the latest run, the
/// window's row-key range for the trend) and its Baselines partitions (see <see cref="TrendReader"/>); never a table scan.
/// </summary>
public sealed class TrendsApi(IRunStore runs, IBaselineStore baselines, IWorkloadRegistry registry, KnownWorkloads known, TimeProvider time, ILogger<TrendsApi> logger)
{
    /// <summary>Days of history <c>GET /api/workloads</c> reads for each workload's direction unless <c>?days=</c> says otherwise.</summary>
    public const int OverviewDays = 30;

    private static readonly string[] TrendParameters = ["metric", "days", "settings"];

    /// <summary><c>GET /api/workloads/{name}/trend</c>.</summary>
    public async Task<ApiResult> TrendAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        try
        {
            var query = request.Query;
            var trendRequest = TrendRequest.Parse(name, QueryValues.Single(query, "metric"), QueryValues.Single(query, "days"), QueryValues.Single(query, "settings"), workloadField: "name");
            var trend = await Reader().ReadAsync(trendRequest, cancellationToken);
            if (trend.RunsRead == 0 && !await known.ContainsAsync(trendRequest.Workload, cancellationToken))
            {
                throw new UnknownWorkloadException(trendRequest.Workload, await known.NamesAsync(cancellationToken));
            }

            return ApiResult.Json(StatusCodes.Status200OK, trend);
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary><c>GET /api/workloads</c>.</summary>
    public async Task<ApiResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var days = QueryValues.Single(request.Query, "days");
            var overview = new List<WorkloadOverview>();
            foreach (var name in await known.NamesAsync(cancellationToken))
            {
                // Newest run: the first row of the workload's partition (row keys are time-descending).
                var newest = await runs.ListAsync(name, 1, cancellationToken);
                var latest = newest.Count > 0 ? newest[0] : null;
                var trendRequest = TrendRequest.Parse(name, TrendMetric.P95.Name, days ?? OverviewDays.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                var trend = latest is null ? null : await Reader().ReadAsync(trendRequest, cancellationToken);
                var series = trend?.Series.FirstOrDefault(s => s.SettingsKey == latest!.SettingsKey);
                overview.Add(new WorkloadOverview
                {
                    Workload = name,
                    Registered = (await registry.NewestAsync(name, cancellationToken))?.Version,
                    LatestRun = latest is null ? null : new TrendRun(latest.RunId, latest.CreatedAt, latest.Status.ToString().ToLowerInvariant(), latest.Verdict, latest.SettingsKey, latest.SettingsHash, latest.WorkloadVersion),
                    Verdict = latest?.Verdict,
                    Metric = TrendMetric.P95.Name,
                    Days = trendRequest.Days,
                    Direction = series?.Direction ?? TrendDirections.Flat,
                    Assessment = series?.Assessment ?? TrendDirections.Unchanged,
                    LastChangePoint = series is { ChangePoints.Count: > 0 } ? series.ChangePoints[^1] : null,
                });
            }

            return ApiResult.Json(StatusCodes.Status200OK, new WorkloadOverviewResponse { Workloads = overview });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary>
    /// <c>GET /api/dashboard</c> (every known workload) and <c>GET /api/dashboard/{name}</c> (one workload's page): the
    /// dashboard as HTML, from the same bounded trend reads as the JSON endpoints (<c>?days=</c>, default 90). Links stay
    /// inside the API (<c>dashboard/{name}</c>, <c>runs/{id}/report</c>); a <c>?code=</c> function key the page was opened
    /// with is carried on them, so a browser can follow them (the page has no scripts and sends no referrer).
    /// </summary>
    public async Task<ApiResult> DashboardAsync(HttpRequest request, string? name, CancellationToken cancellationToken)
    {
        try
        {
            var query = request.Query;
            var days = QueryValues.Single(query, "days") ?? TrendRequest.DefaultDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var code = QueryValues.Single(query, "code");
            string Link(string path) => code is null ? path : path + "?code=" + Uri.EscapeDataString(code);
            string html;
            if (name is null)
            {
                var rows = new List<Reports.DashboardWorkload>();
                foreach (var workload in await known.NamesAsync(cancellationToken))
                {
                    var trend = await Reader().ReadAsync(TrendRequest.Parse(workload, null, days, null, workloadField: "name"), cancellationToken);
                    rows.Add(new Reports.DashboardWorkload(trend, Link("dashboard/" + workload)));
                }

                html = Reports.Dashboard.RenderOverview(rows, time.GetUtcNow());
            }
            else
            {
                var trend = await Reader().ReadAsync(TrendRequest.Parse(name, null, days, null, workloadField: "name"), cancellationToken);
                if (trend.RunsRead == 0 && !await known.ContainsAsync(trend.Workload, cancellationToken))
                {
                    throw new UnknownWorkloadException(trend.Workload, await known.NamesAsync(cancellationToken));
                }

                var analysed = trend.Runs.Where(r => r.Status is "completed" or "degraded" or "failed").Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
                html = Reports.Dashboard.RenderWorkload(trend, runId => analysed.Contains(runId) ? Link("../runs/" + runId + "/report") : null, Link("../dashboard"));
            }

            var headers = new Dictionary<string, string>
            {
                ["X-Content-Type-Options"] = "nosniff",
                ["Content-Security-Policy"] = ReportsApi.HtmlContentSecurityPolicy,
                ["Referrer-Policy"] = "no-referrer",
                ["Cache-Control"] = "no-store",
            };
            return ApiResult.Content(StatusCodes.Status200OK, "text/html; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(html), headers);
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    private TrendReader Reader() => new(runs, baselines, time);

    private ApiResult Refuse(InputException exception) => Problems.Refused(exception, logger);
}
