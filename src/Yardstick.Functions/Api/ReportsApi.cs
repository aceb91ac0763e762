using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Functions.Api;

/// <summary>
/// <c>GET /api/runs/{id}/report?format=html|md|junit|json</c> (HTML by default): the run's stored report, rendered from its
/// stored artifacts (and stored) when missing. 404 when the run is unknown or has no summary yet; 400 for an unknown format.
/// </summary>
public sealed class ReportsApi(IRunStore runs, IArtifactStore artifacts, ILogger<ReportsApi> logger)
{
    /// <summary>HTML reports are self-contained: no scripts, inline styles and SVG only; the browser is told so.</summary>
    public const string HtmlContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    public async Task<ApiResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        try
        {
            var values = request.Query["format"];
            if (values.Count > 1)
            {
                throw new InputException("format", "is given more than once.");
            }

            var format = ReportFormats.Normalize(values.Count == 0 ? ReportFormats.Html : values[0], "format");
            if (!RunIds.IsValid(id))
            {
                throw new RunNotFoundException($"'{ApiText.Clip(id)}' is not a run id (they look like 20261129-081502-3fa9c1).");
            }

            var record = await runs.GetAsync(id, cancellationToken) ?? throw new RunNotFoundException($"no run has the id {id}.");
            var body = await new RunReports(artifacts).GetAsync(record.Workload, id, format, failOnInconclusive: false, cancellationToken)
                ?? throw new ReportNotFoundException($"run {id} is {record.Status.ToString().ToLowerInvariant()} and has no stored summary yet, so there is no report; try again when it has finished.");
            var headers = new Dictionary<string, string> { ["X-Content-Type-Options"] = "nosniff" };
            if (format == ReportFormats.Html)
            {
                headers["Content-Security-Policy"] = HtmlContentSecurityPolicy;
            }

            return ApiResult.Content(StatusCodes.Status200OK, ReportFormats.ContentType(format), body, headers);
        }
        catch (InputException e)
        {
            var refused = Problems.From(e);
            Log.RequestRefused(logger, refused.StatusCode, e.GetType().Name, e.Field);
            return refused;
        }
    }
}
