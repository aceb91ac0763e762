namespace Yardstick.Core.Alerts;

/// <summary>
/// The address people open the app at (<c>YARDSTICK_PUBLIC_URL</c>, e.g. <c>https://bench.contoso.com</c>): when set, alert
/// messages link to the workload's trend (<c>/api/workloads/{name}/trend</c>) and the run's report
/// (<c>/api/runs/{id}/report</c>) under it; unset, they carry no such links. https only: the link goes to chat rooms and
/// issues, so it must never send people to a plain-http or credential-carrying address.
/// </summary>
public static class PublicUrl
{
    public const string SettingName = "YARDSTICK_PUBLIC_URL";

    /// <summary>Days of history the trend link shows.</summary>
    public const int TrendDays = 90;

    /// <summary>The base URL (path kept, ending in <c>/</c>); null when the setting is unset or blank.</summary>
    /// <exception cref="InputException">Not an absolute https URL, or one with credentials, a query or a fragment (names the setting).</exception>
    public static Uri? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InputException(SettingName, "must be an absolute https URL (the address people open the app at), such as https://bench.contoso.com.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InputException(SettingName, "must not carry credentials, a query or a fragment: it is the base every alert link starts with.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    /// <summary><c>{base}api/workloads/{name}/trend?days=90</c> (with <c>&amp;metric=</c> when one metric is meant).</summary>
    public static string TrendLink(Uri baseUrl, string workload, string? metric = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new Uri(baseUrl, $"api/workloads/{Uri.EscapeDataString(workload)}/trend?days={TrendDays}"
            + (metric is null ? "" : "&metric=" + Uri.EscapeDataString(metric))).AbsoluteUri;
    }

    /// <summary><c>{base}api/runs/{id}/report</c>: the run's HTML report served by the app.</summary>
    public static string RunLink(Uri baseUrl, string runId)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new Uri(baseUrl, $"api/runs/{Uri.EscapeDataString(runId)}/report").AbsoluteUri;
    }
}
