using System.Globalization;
using Yardstick.Core.Ports;

namespace Yardstick.Core.ColdStart;

/// <summary>Cold, warm or unknown, and whether the probe is left out of the cold statistics.</summary>
/// <param name="Probe">The probe as measured.</param>
/// <param name="Classification"><see cref="ColdStartClassifier.Cold"/>, <see cref="ColdStartClassifier.Warm"/> or <see cref="ColdStartClassifier.Unknown"/>.</param>
/// <param name="Excluded">The classification contradicts the forced cold start (or the probe failed): reported, not counted.</param>
/// <param name="Note">Why, in one sentence.</param>
/// <param name="WarmMs">Latencies of the warm requests that count as warm (served by an instance already seen).</param>
public sealed record ClassifiedProbe(ColdStartProbe Probe, string Classification, bool Excluded, string? Note, IReadOnlyList<double> WarmMs);

/// <summary>
/// Classifies cold-start probes by instance identity. Every strategy forces a cold start, so a probe is <b>cold</b> when
/// the instance that answered its first successful request had not been seen before in this run (by an earlier
/// probe or its warm requests) — for <c>process</c> every fresh process presents a new <c>x-instance-id</c>. A probe
/// answered by an instance already seen is <b>warm</b>: the forced cold start did not happen, so the probe is a
/// mismatch, reported and excluded from the cold figures. Without an instance (no header, no telemetry) a probe is
/// <b>unknown</b> and not counted either. When the instance came from telemetry (App Insights role instance) with its
/// first-seen time, the probe is cold only if that instance first served at or after the forcing (minus
/// <see cref="FirstSeenTolerance"/>): an instance that served before the forcing is a warm one the platform kept.
/// The <c>idle</c> strategy does not force anything, it waits: a warm probe there is a result (the instance outlived
/// the idle time), not a mismatch, so it is counted and not excluded; its priming request's instance counts as seen.
/// </summary>
public static class ColdStartClassifier
{
    public const string Cold = "cold";
    public const string Warm = "warm";
    public const string Unknown = "unknown";

    /// <summary>Clock skew allowed between this worker and the telemetry's timestamps.</summary>
    public static readonly TimeSpan FirstSeenTolerance = TimeSpan.FromSeconds(2);

    /// <param name="probes">Probes in any order; classified in <see cref="ColdStartProbe.Index"/> order.</param>
    /// <param name="instanceHeader">Header name, for the notes.</param>
    /// <param name="firstSeen">Telemetry: when each role instance first served (null without telemetry).</param>
    /// <param name="idle">The <c>idle</c> strategy: a warm probe is a result, not a mismatch.</param>
    /// <param name="primedInstance">Instance that answered the priming request before the first idle wait, if any.</param>
    public static IReadOnlyList<ClassifiedProbe> Classify(
        IEnumerable<ColdStartProbe> probes,
        string instanceHeader = "x-instance-id",
        IReadOnlyDictionary<string, DateTimeOffset>? firstSeen = null,
        bool idle = false,
        string? primedInstance = null)
    {
        // Instance → index of the probe that first saw it; the priming request is -1.
        var seenBy = new Dictionary<string, int>(StringComparer.Ordinal);
        if (primedInstance is not null)
        {
            seenBy[primedInstance] = -1;
        }

        string Served(int index) => index < 0 ? "the priming request" : $"probe {index + 1}";
        var result = new List<ClassifiedProbe>();
        foreach (var probe in probes.OrderBy(p => p.Index))
        {
            if (probe.First is null)
            {
                result.Add(new ClassifiedProbe(probe, Unknown, Excluded: true, probe.Failure ?? "no successful response", []));
                continue;
            }

            var id = probe.InstanceId;
            string classification;
            var excluded = false;
            string? note = null;
            if (id is null)
            {
                classification = Unknown;
                note = $"the response carried no {instanceHeader} header and no telemetry named the instance: cold or warm cannot be told";
            }
            else if (seenBy.TryGetValue(id, out var earlier))
            {
                classification = Warm;
                excluded = !idle;
                note = idle
                    ? $"instance {id} already served {Served(earlier)}: still warm after the idle time"
                    : $"instance {id} already served {Served(earlier)}: the forced cold start did not give a new instance (excluded)";
            }
            else if (probe.First.InstanceId is null && firstSeen is not null && firstSeen.TryGetValue(id, out var first) && first < probe.ForcedAt - FirstSeenTolerance)
            {
                classification = Warm;
                excluded = !idle;
                note = idle
                    ? $"role instance {id} first served at {first.ToString("u", CultureInfo.InvariantCulture)}, before the idle time ended: still warm"
                    : $"role instance {id} first served at {first.ToString("u", CultureInfo.InvariantCulture)}, before the cold start was forced: not a new instance (excluded)";
            }
            else
            {
                classification = Cold;
                if (probe.First.InstanceId is null)
                {
                    note = $"instance {id} named by the telemetry (no {instanceHeader} header)";
                }
            }

            if (id is not null)
            {
                seenBy.TryAdd(id, probe.Index);
            }

            var warm = new List<double>();
            var strayWarm = 0;
            foreach (var exchange in probe.Warm.Where(w => w.StatusCode is >= 200 and < 400))
            {
                // A "warm" request that reached a new instance was itself a cold start: not a warm reference.
                if (exchange.InstanceId is { } warmId && warmId != id && !seenBy.ContainsKey(warmId))
                {
                    strayWarm++;
                    seenBy[warmId] = probe.Index;
                    continue;
                }

                warm.Add(exchange.TotalMs);
            }

            if (strayWarm > 0)
            {
                note = (note is null ? "" : note + "; ") + $"{strayWarm} warm request(s) reached a new instance and were left out of the warm figures";
            }

            result.Add(new ClassifiedProbe(probe, classification, excluded, note, warm));
        }

        return result;
    }

    /// <summary>
    /// Names the serving instance of probes whose response had no instance header, from server-side request telemetry:
    /// the request of the probe's app closest to the probe's first success, within its total time plus
    /// <see cref="FirstSeenTolerance"/> on either side.
    /// </summary>
    public static IReadOnlyList<ColdStartProbe> AttachTelemetry(IEnumerable<ColdStartProbe> probes, IReadOnlyList<ServerRequest> requests)
    {
        var withInstance = requests.Where(r => !string.IsNullOrEmpty(r.RoleInstance)).ToList();
        return probes.Select(probe =>
        {
            if (probe.First is not { InstanceId: null } first)
            {
                return probe;
            }

            var from = first.At - FirstSeenTolerance;
            var to = first.At + TimeSpan.FromMilliseconds(first.TotalMs) + FirstSeenTolerance;
            var match = withInstance
                .Where(r => r.Timestamp >= from && r.Timestamp <= to)
                .OrderBy(r => Math.Abs((r.Timestamp - first.At).TotalMilliseconds))
                .FirstOrDefault();
            return match is null ? probe : probe with { TelemetryInstanceId = match.RoleInstance };
        }).ToList();
    }
}
