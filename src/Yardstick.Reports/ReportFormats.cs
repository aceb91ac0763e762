using Yardstick.Core;

namespace Yardstick.Reports;

/// <summary>
/// The report formats (<c>yardstick report --format html|md|json|junit</c>), their blob names beside the run's other
/// artifacts and their content types.
/// </summary>
public static class ReportFormats
{
    public const string Html = "html";
    public const string Markdown = "md";
    public const string Json = "json";
    public const string JUnit = "junit";

    public const string HtmlBlobName = "report.html";
    public const string MarkdownBlobName = "report.md";
    public const string JUnitBlobName = "junit.xml";
    public const string SummaryBlobName = "summary.json";

    public const string HtmlContentType = "text/html; charset=utf-8";
    public const string MarkdownContentType = "text/markdown; charset=utf-8";
    public const string JUnitContentType = "application/xml; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Every format name, in the order help text lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Html, Markdown, Json, JUnit];

    /// <summary>Renders <paramref name="report"/> in <paramref name="format"/> (case-insensitive).</summary>
    /// <param name="report">The run to render.</param>
    /// <param name="format"><c>html</c>, <c>md</c>, <c>json</c> or <c>junit</c>.</param>
    /// <param name="failOnInconclusive">JUnit only: inconclusive metrics fail instead of being skipped.</param>
    /// <param name="field">The option or field the format came from, named in the error.</param>
    /// <exception cref="InputException">Unknown format.</exception>
    public static string Render(RunReport report, string format, bool failOnInconclusive = false, string field = "--format")
    {
        ArgumentNullException.ThrowIfNull(report);
        return Normalize(format, field) switch
        {
            Html => HtmlReport.Render(report),
            Markdown => MarkdownReport.Render(report),
            Json => YardstickJson.Serialize(report.Candidate, indented: true),
            _ => JUnitReport.Render(report, failOnInconclusive),
        };
    }

    /// <summary>The blob name a format is stored under (<c>json</c> is the run's <c>summary.json</c>).</summary>
    public static string BlobName(string format, string field = "--format") => Normalize(format, field) switch
    {
        Html => HtmlBlobName,
        Markdown => MarkdownBlobName,
        Json => SummaryBlobName,
        _ => JUnitBlobName,
    };

    public static string ContentType(string format, string field = "--format") => Normalize(format, field) switch
    {
        Html => HtmlContentType,
        Markdown => MarkdownContentType,
        Json => JsonContentType,
        _ => JUnitContentType,
    };

    /// <summary>The canonical name of a format; also accepts <c>markdown</c>, <c>xml</c> and the blob file names.</summary>
    /// <exception cref="InputException">Unknown format.</exception>
    public static string Normalize(string? format, string field = "--format") => format?.Trim().ToLowerInvariant() switch
    {
        "html" or "htm" or HtmlBlobName => Html,
        "md" or "markdown" or MarkdownBlobName => Markdown,
        "json" or SummaryBlobName => Json,
        "junit" or "xml" or JUnitBlobName => JUnit,
        _ => throw new InputException(field, $"unknown report format '{format}'; expected one of {string.Join(", ", All)}."),
    };
}
