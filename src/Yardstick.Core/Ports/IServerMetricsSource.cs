using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Ports;

/// <summary>
/// An Azure target's platform metrics for the server's side of the run's timeline (<c>server-metrics.json</c>), read
/// after the run at the service's finest grain; gaps and the ingestion delay are stated in the set, never filled.
/// </summary>
public interface IServerMetricsSource
{
    /// <summary>
    /// The app's server metrics over [<paramref name="from"/>, <paramref name="to"/>), widened to the grain; which metrics
    /// exist depends on the <paramref name="plan"/> (AZURE-FACTS §2).
    /// </summary>
    Task<ServerMetricSet> ReadAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
