using Yardstick.Core.ColdStart;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Hosting;

/// <summary>The request, transport and probe options of a run's cold-start probes (secrets resolved here, on the worker).</summary>
public static class ProbeRequests
{
    /// <summary>The target's request sent to <c>coldStart.url</c> (default: the target URL), secrets resolved, allow-list checked.</summary>
    public static RequestTemplate Resolve(StoredPlan stored, YardstickHostOptions options)
    {
        var workload = stored.Workload;
        var template = ShardPlanner.BuildRequest(workload.Target);
        if (workload.ColdStart.Url is { } url)
        {
            template = template with { Url = url };
        }

        var request = SecretReferences.ResolveTemplate(template, options.Environment);
        options.TargetPolicy.EnsureUrlAllowed(request.Url, workload.ColdStart.Url is null ? "target.url" : "coldStart.url");
        return request;
    }

    public static TransportOptions Transport(StoredPlan stored, YardstickHostOptions options) => new()
    {
        RequestTimeout = stored.Workload.ColdStart.ProbeTimeout,
        MaxConnections = 1,
        Policy = options.TargetPolicy,
    };

    public static ProbeOptions Probe(StoredPlan stored) => new()
    {
        Timeout = stored.Workload.ColdStart.ProbeTimeout,
        WarmRequests = stored.Workload.ColdStart.WarmRequests,
    };
}
