using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Workloads;

/// <summary>
/// Identifies the settings that make two runs comparable, so a baseline is only ever compared with runs of the
/// same shape. Included: method, URL (secret query values masked; the port dropped for loopback hosts, where it is
/// whatever port the local target got), a hash of the body, header names, HTTP version and transport, the load
/// shape, cold-start strategy and cost settings; a mix's requests (name, method, URL, body hash, header names, weight)
/// and journey, <c>correlation: false</c>, the dataset's name, mode, seed and exhaustion rule, and the response checks'
/// expressions (target's and each request's; not their display names) and the faults of a fault run (fields written only when used, so workloads without
/// them keep their hash). Left out: name, description, tags, thresholds, compare policy,
/// the local process command line (a candidate build differs there by design), secrets and the seed.
/// </summary>
public static class WorkloadFingerprint
{
    /// <summary>Version of the canonical form; bump it when the included fields change.</summary>
    public const int Version = 1;

    /// <summary>16 lowercase hex characters: the first 8 bytes of SHA-256 over the canonical JSON of the settings.</summary>
    public static string SettingsHash(Workload w) => SettingsHash(w, sweepValue: null);

    /// <summary>
    /// The settings hash of one point of a sweep: the sweep parameter set to <paramref name="sweepValue"/>. Without a
    /// value the sweep is left out (the list of values does not change what one point measures).
    /// </summary>
    public static string SettingsHash(Workload w, string? sweepValue)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(w, sweepValue)));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }

    /// <summary>The canonical JSON that is hashed (stable key order, invariant numbers); useful to explain a mismatch.</summary>
    public static string CanonicalJson(Workload w, string? sweepValue = null)
    {
        var t = w.Target;
        var l = w.Load;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteStartObject("request");
            json.WriteString("method", t.Method);
            json.WriteString("url", CanonicalUrl(t.Url));
            json.WriteString("bodySha256", t.Body is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(t.Body))));
            json.WriteStartArray("headers");
            foreach (var name in t.Headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteString("httpVersion", t.HttpVersion);
            json.WriteString("transport", t.Transport.ToString());
            json.WriteEndObject();
            WriteMix(json, w);
            WriteChecks(json, w);
            if (w.Data is { } data)
            {
                // Which rows and how they are dealt; the file's content is compared apart (its SHA-256 in the stored plan).
                json.WriteStartObject("data");
                json.WriteString("source", data.File ?? data.Blob ?? "");
                json.WriteString("mode", data.Mode.ToString());
                json.WriteString("onExhausted", data.Exhaustion.ToString());
                if (data.Seed is { } dataSeed)
                {
                    json.WriteNumber("seed", dataSeed);
                }

                json.WriteEndObject();
            }

            json.WriteStartObject("load");
            json.WriteString("model", l.Model.ToString());
            WriteNumber(json, "ratePerSecond", l.Rate?.PerSecond);
            WriteNumber(json, "startRatePerSecond", l.StartRate?.PerSecond);
            json.WriteStartArray("stages");
            foreach (var stage in l.Stages)
            {
                json.WriteStartObject();
                json.WriteNumber("durationMs", stage.Duration.TotalMilliseconds);
                json.WriteNumber("targetPerSecond", stage.Target.PerSecond);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNumber(json, "concurrency", l.Concurrency);
            json.WriteNumber("thinkTimeMs", l.ThinkTime.TotalMilliseconds);
            json.WriteNumber("durationMs", l.Duration.TotalMilliseconds);
            json.WriteNumber("warmupMs", l.Warmup.TotalMilliseconds);
            json.WriteNumber("shards", l.Shards);
            json.WriteNumber("maxInFlight", l.MaxInFlight);
            WriteNumber(json, "connections", l.Connections);
            json.WriteNumber("timeoutMs", l.Timeout.TotalMilliseconds);
            if (l.TimerSlack > TimeSpan.Zero)
            {
                // Only when set, so every fingerprint from before the field stays as it was.
                json.WriteNumber("timerSlackMs", l.TimerSlack.TotalMilliseconds);
            }
            json.WriteString("arrivals", l.Arrivals.ToString());
            if (l.Model == LoadModel.Replay)
            {
                // Which trace, how fast and which slice; the trace's content is compared apart (its SHA-256 in the plan).
                json.WriteString("trace", l.Trace?.Name ?? "");
                json.WriteNumber("speed", l.Speed);
                json.WriteNumber("windowFromMs", l.Window?.From.TotalMilliseconds ?? 0);
                WriteNumber(json, "windowDurationMs", l.Window?.Duration?.TotalMilliseconds);
            }

            json.WriteEndObject();

            json.WriteString("coldStart", w.ColdStart.Strategy.ToString());
            if (w.Cost is { } cost)
            {
                json.WriteStartObject("cost");
                json.WriteString("plan", cost.Plan.ToString());
                json.WriteString("region", cost.Region);
                json.WriteNumber("instanceMemoryMB", cost.InstanceMemoryMB);
                json.WriteNumber("executionMemoryMB", cost.ExecutionMemoryMB);
                json.WriteNumber("alwaysReadyInstances", cost.AlwaysReadyInstances);
                json.WriteNumber("premiumVcpu", cost.PremiumVcpu);
                json.WriteNumber("premiumMemoryGB", cost.PremiumMemoryGB);
                json.WriteNumber("premiumInstances", cost.PremiumInstances);
                json.WriteBoolean("includeFreeGrant", cost.IncludeFreeGrant);
                json.WriteEndObject();
            }

            if (w.Faults.Count > 0)
            {
                // A fault run measures a disturbed target: never comparable with a run without the same faults.
                json.WriteStartArray("faults");
                foreach (var fault in w.Faults)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", fault.KindName);
                    json.WriteNumber("atMs", fault.At.TotalMilliseconds);
                    WriteNumber(json, "forMs", fault.For?.TotalMilliseconds);
                    WriteNumber(json, "ms", fault.Ms);
                    WriteNumber(json, "rate", fault.Rate);
                    if (fault.Name is not null)
                    {
                        json.WriteString("name", fault.Name);
                        json.WriteString("value", fault.Value ?? "");
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (sweepValue is not null && w.Sweep is { } sweep)
            {
                json.WriteStartObject("sweep");
                json.WriteString("parameter", sweep.Label);
                json.WriteString("value", sweepValue);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The mix, journey and correlation switch, each only when it differs from a plain single-target workload.</summary>
    private static void WriteMix(Utf8JsonWriter json, Workload w)
    {
        if (w.Requests.Count > 0)
        {
            json.WriteStartArray("requests");
            foreach (var r in w.Requests)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteString("method", r.Method ?? "GET");
                json.WriteString("url", CanonicalUrl(Load.ShardPlanner.ResolveUrl(w.Target.Url, r.Url)));
                json.WriteString("bodySha256", r.Body is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.Body))));
                json.WriteStartArray("headers");
                foreach (var name in r.Headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
                json.WriteNumber("weight", r.Weight);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (w.Steps.Count > 0)
        {
            json.WriteStartArray("steps");
            foreach (var step in w.Steps)
            {
                json.WriteStartObject();
                json.WriteString("request", step.Request);
                WriteNumber(json, "thinkTimeMs", step.ThinkTime?.TotalMilliseconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (!w.Target.Correlation)
        {
            json.WriteBoolean("correlation", false);
        }
    }

    /// <summary>
    /// The response checks (target's, then each request's), only when there are any: a failed check is an error, so other
    /// checks measure another error rate (and, with a body check, read bodies the other run did not).
    /// </summary>
    private static void WriteChecks(Utf8JsonWriter json, Workload w)
    {
        if (w.Target.Checks.Count == 0 && w.Requests.All(r => r.Checks.Count == 0))
        {
            return;
        }

        json.WriteStartObject("checks");
        foreach (var (owner, checks) in CheckGroups(w))
        {
            json.WriteStartArray(owner);
            foreach (var check in checks)
            {
                json.WriteStringValue(check.Expression.Trim());
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The response checks as one line (<c>target: status in [200]; profile: body contains /users/</c>), empty when there are
    /// none: what a verdict names when a baseline was measured with other checks.
    /// </summary>
    public static string ChecksText(Workload w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return string.Join("; ", CheckGroups(w).Select(g => $"{g.Owner}: {string.Join(", ", g.Checks.Select(c => c.Expression.Trim()))}"));
    }

    private static IEnumerable<(string Owner, IReadOnlyList<Load.Checks.CheckSpec> Checks)> CheckGroups(Workload w)
    {
        if (w.Target.Checks.Count > 0)
        {
            yield return ("target", w.Target.Checks);
        }

        foreach (var r in w.Requests.Where(r => r.Checks.Count > 0))
        {
            yield return (r.Name, r.Checks);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string CanonicalUrl(string url)
    {
        var redacted = Redaction.RedactUrl(url);
        if (!Uri.TryCreate(redacted, UriKind.Absolute, out var uri))
        {
            return redacted;
        }

        var host = uri.IdnHost.Trim('[', ']').ToLowerInvariant();
        var loopback = host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        var builder = new UriBuilder(uri) { Host = host };
        if (loopback)
        {
            builder.Port = -1;
        }

        return builder.Uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
    }
}
