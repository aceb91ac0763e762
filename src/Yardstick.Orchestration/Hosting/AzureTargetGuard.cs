using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Binds <c>target.azure.resourceId</c> to what the allow-list admits. The allow-list checks only <c>target.url</c>, and
/// a run restarts and reconfigures the site named by the resource id; so the id is accepted only when ARM says that
/// site answers on the URL's host, and never when it names Yardstick's own app (or, unless allowed, its resource group).
/// </summary>
public static class AzureTargetGuard
{
    public const string Field = "target.azure.resourceId";

    /// <summary>The app setting that admits targets in Yardstick's own resource group (<c>true</c>); its own app never is.</summary>
    public const string AllowOwnResourceGroupSetting = "YARDSTICK_ALLOW_OWN_RESOURCE_GROUP";

    /// <summary>Refuses Yardstick's own site, and its resource group unless <see cref="YardstickHostOptions.AllowOwnResourceGroup"/>. No I/O.</summary>
    /// <exception cref="InputException">Naming <c>target.azure.resourceId</c>.</exception>
    public static void EnsureNotSelf(string resourceId, YardstickHostOptions options)
    {
        if (options.Self is not { } self)
        {
            return;
        }

        var site = ArmSiteId.Parse(resourceId);
        var sameGroup = (self.SubscriptionId is null || string.Equals(site.SubscriptionId, self.SubscriptionId, StringComparison.OrdinalIgnoreCase))
            && string.Equals(site.ResourceGroup, self.ResourceGroup, StringComparison.OrdinalIgnoreCase);
        if (sameGroup && string.Equals(site.Name, self.SiteName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException(Field, $"target.azure.resourceId '{resourceId}' is Yardstick's own function app: a run never restarts or reconfigures the app that runs it.");
        }

        if (sameGroup && !options.AllowOwnResourceGroup)
        {
            throw new InputException(
                Field,
                $"target.azure.resourceId '{resourceId}' is in Yardstick's own resource group '{self.ResourceGroup}': targets there are refused unless the app setting {AllowOwnResourceGroupSetting}=true (set by the deployment when the target resource group is Yardstick's own).");
        }
    }

    /// <summary>
    /// Reads the site's host names from ARM and refuses the run unless they include the host of <c>target.url</c> (and
    /// of <c>coldStart.url</c>, when given): the site a run changes must be the one the allow-list let it measure.
    /// </summary>
    /// <exception cref="InputException">Naming <c>target.azure.resourceId</c>.</exception>
    public static async Task EnsureBoundToUrlAsync(Workload workload, YardstickHostOptions options, ITargetControl control, CancellationToken cancellationToken)
    {
        if (workload.Target.Azure is not { } azure)
        {
            return;
        }

        var hosts = await control.GetHostNamesAsync(azure.ResourceId, cancellationToken);
        foreach (var (url, field) in Urls(workload))
        {
            var host = new Uri(SecretReferences.Resolve(url, field, options.Environment)).Host.ToLowerInvariant();
            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                throw new InputException(
                    Field,
                    $"target.azure.resourceId names a site whose host names in ARM ({(hosts.Count == 0 ? "none" : string.Join(", ", hosts))}) do not include {host}, the host of {field}: a run may only restart and reconfigure the app it sends load to.");
            }
        }
    }

    private static IEnumerable<(string Url, string Field)> Urls(Workload workload)
    {
        yield return (workload.Target.Url, "target.url");
        if (workload.ColdStart.Url is { } coldStart)
        {
            yield return (coldStart, "coldStart.url");
        }
    }
}

/// <summary>Yardstick's own function app, from the Functions environment (<c>WEBSITE_OWNER_NAME</c>, <c>WEBSITE_RESOURCE_GROUP</c>, <c>WEBSITE_SITE_NAME</c>).</summary>
public sealed record SelfSite(string? SubscriptionId, string ResourceGroup, string SiteName)
{
    /// <summary>Null when the platform's variables are absent (a local <c>func start</c>).</summary>
    public static SelfSite? FromEnvironment(Func<string, string?> environment)
    {
        var name = environment("WEBSITE_SITE_NAME");
        var group = environment("WEBSITE_RESOURCE_GROUP");
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(group))
        {
            return null;
        }

        // WEBSITE_OWNER_NAME reads "<subscription id>+<webspace>".
        var owner = environment("WEBSITE_OWNER_NAME");
        var plus = owner?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        var subscription = plus > 0 ? owner![..plus] : null;
        return new SelfSite(Guid.TryParse(subscription, out _) ? subscription : null, group, name);
    }
}

/// <summary>The parts of a <c>Microsoft.Web/sites</c> resource id.</summary>
internal sealed record ArmSiteId(string SubscriptionId, string ResourceGroup, string Name)
{
    public static ArmSiteId Parse(string resourceId)
    {
        var segments = resourceId.Trim('/').Split('/');
        if (segments.Length != 8
            || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !segments[4].Equals("providers", StringComparison.OrdinalIgnoreCase)
            || !segments[5].Equals("Microsoft.Web", StringComparison.OrdinalIgnoreCase)
            || !segments[6].Equals("sites", StringComparison.OrdinalIgnoreCase)
            || segments.Any(s => s.Length == 0))
        {
            throw new InputException(AzureTargetGuard.Field, $"'{resourceId}' is not a function app id (/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/Microsoft.Web/sites/{{app}}).");
        }

        return new ArmSiteId(segments[1], segments[3], segments[7]);
    }
}
