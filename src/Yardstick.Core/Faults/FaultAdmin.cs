using System.Globalization;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Faults;

/// <summary>
/// The sample target's fault toggles (<c>POST /admin/stall?ms=N&amp;for=D</c>, <c>POST /admin/fail?rate=R&amp;for=D</c>, served only
/// when it runs with <c>--admin</c>): the URL a stall or fail fault calls, always on the target URL's own origin, so a fault
/// can reach nothing the run's load could not.
/// </summary>
public static class FaultAdmin
{
    /// <summary>The toggle's URL for <paramref name="fault"/> on the origin of <paramref name="targetUrl"/> (resolved).</summary>
    /// <exception cref="InputException">The fault is not a stall or fail, or the target URL is not absolute.</exception>
    public static string Url(string targetUrl, FaultSpec fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (!Uri.TryCreate(targetUrl, UriKind.Absolute, out var target))
        {
            throw new InputException("target.url", "is not an absolute URL, so the fault's admin toggle has no origin.");
        }

        var forMs = ((long)(fault.For ?? TimeSpan.Zero).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var query = fault.Kind switch
        {
            FaultKind.Stall => $"stall?ms={(fault.Ms ?? 0).ToString(CultureInfo.InvariantCulture)}&for={forMs}ms",
            FaultKind.Fail => $"fail?rate={(fault.Rate ?? 0).ToString("0.######", CultureInfo.InvariantCulture)}&for={forMs}ms",
            _ => throw new InputException("faults", $"a {fault.KindName} fault has no admin toggle."),
        };
        return target.GetLeftPart(UriPartial.Authority) + "/admin/" + query;
    }
}
