using System.Text;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load;

/// <summary>
/// Splits one phase of a workload's load into <see cref="LoadSpec.Shards"/> shard plans with a common absolute start.
/// Deterministic: the same inputs give the same plans (seeds included), which Durable replay relies on.
/// </summary>
public static class ShardPlanner
{
    /// <summary>Default connection count of the open model across the run: min(maxInFlight, this).</summary>
    public const int DefaultOpenConnections = 256;

    /// <summary>
    /// Plans phase <paramref name="phase"/> of round <paramref name="round"/>. Open model: every shard carries the run's
    /// <see cref="ArrivalCurve"/> and takes every K-th arrival of it. Closed model: virtual users are split across
    /// shards, the remainder going to the first shards; the closed model uses one connection per virtual user.
    /// Connections and max-in-flight are split the same way (at least one per shard). A warm-up phase runs for
    /// <see cref="LoadSpec.Warmup"/> (ramps are cut at that length, or held at their last rate when shorter); when the
    /// warm-up is zero there is nothing to plan and the list is empty.
    /// </summary>
    /// <exception cref="InputException">The load cannot be split as asked (names the field).</exception>
    /// <remarks>Replay model: every shard carries the described <c>trace</c> (its duration, window, speed and endpoints)
    /// and takes every K-th arrival of the window; there is no warm-up phase.</remarks>
    public static IReadOnlyList<ShardPlan> Plan(
        Workload workload, string runId, RunPhase phase, int round, string variant, DateTimeOffset startAt, long seed, Replay.TraceSummary? trace = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var load = workload.Load;
        if (load.Model == LoadModel.Replay)
        {
            if (trace is null)
            {
                throw new InputException("load.trace", "the replay model needs its trace described before it is planned.");
            }

            // A replay lasts the trace's (windowed) span ÷ speed and sends its recorded endpoints; no warm-up phase.
            if (phase == RunPhase.Warmup)
            {
                return [];
            }

            workload = workload with { Load = load with { Duration = trace.ReplayDuration, Warmup = TimeSpan.Zero } };
            load = workload.Load;
        }

        var shards = load.Shards;
        if (shards < 1)
        {
            throw new InputException("load.shards", $"must be at least 1 (was {shards}).");
        }

        var measuredDuration = MeasuredDuration(load);
        var duration = phase == RunPhase.Warmup ? load.Warmup : measuredDuration;
        if (duration < TimeSpan.Zero)
        {
            throw new InputException(phase == RunPhase.Warmup ? "load.warmup" : "load.duration", "must not be negative.");
        }

        if (phase == RunPhase.Warmup && duration == TimeSpan.Zero)
        {
            return [];
        }

        if (duration == TimeSpan.Zero)
        {
            throw new InputException("load.duration", "the measured duration is zero: give load.duration or load.stages.");
        }

        var requests = load.Model == LoadModel.Replay ? BuildReplayRequests(workload, trace!) : BuildRequests(workload);
        var steps = BuildSteps(workload);
        variant ??= "";
        ArrivalCurve? curve = null;
        int[] concurrency;
        int[] connections;
        if (load.Model is LoadModel.Open or LoadModel.Replay)
        {
            curve = load.Model == LoadModel.Open ? BuildCurve(load, duration) : null;
            concurrency = new int[shards];
            var totalConnections = load.Connections ?? Math.Min(load.MaxInFlight, DefaultOpenConnections);
            connections = SplitAtLeastOne(totalConnections, shards, "load.connections");
        }
        else
        {
            var users = load.Concurrency ?? throw new InputException("load.concurrency", "the closed model needs a concurrency (virtual users).");
            if (users < shards)
            {
                throw new InputException("load.concurrency", $"{users} virtual users cannot be split across {shards} shards; use at most {users} shards.");
            }

            concurrency = Split(users, shards);
            connections = concurrency;
        }

        var maxInFlight = SplitAtLeastOne(load.MaxInFlight, shards, "load.maxInFlight");
        var plans = new ShardPlan[shards];
        for (var i = 0; i < shards; i++)
        {
            plans[i] = new ShardPlan
            {
                RunId = runId,
                Workload = workload.Name,
                Phase = phase,
                Round = round,
                Variant = variant,
                ShardIndex = i,
                ShardCount = shards,
                Requests = requests,
                Steps = steps,
                Correlation = workload.Target.Correlation,
                Model = load.Model,
                Arrivals = curve,
                Trace = load.Model == LoadModel.Replay ? trace : null,
                Concurrency = concurrency[i],
                ThinkTime = load.ThinkTime,
                Duration = duration,
                MaxInFlight = maxInFlight[i],
                Connections = connections[i],
                RequestTimeout = load.Timeout,
                TimerSlack = load.TimerSlack,
                StartAt = startAt,
                Seed = ShardSeed(seed, phase, round, variant, i),
            };
        }

        return plans;
    }

    /// <summary>The measured duration of one round: <see cref="LoadSpec.Duration"/>, or the sum of the stages when it is zero.</summary>
    public static TimeSpan MeasuredDuration(LoadSpec load) =>
        load.Duration > TimeSpan.Zero || load.Stages.Count == 0
            ? load.Duration
            : load.Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>
    /// The seed of one shard, derived from the run seed by SplitMix64 over (phase, round, variant, shard): stable
    /// across processes and platforms (no string.GetHashCode, which is randomized per process).
    /// </summary>
    public static long ShardSeed(long runSeed, RunPhase phase, int round, string variant, int shardIndex)
    {
        var h = SeedMix.Mix((ulong)runSeed);
        h = SeedMix.Mix(h ^ ((ulong)phase + 1));
        h = SeedMix.Mix(h ^ (uint)round);
        h = SeedMix.Mix(h ^ Fnv1a(variant));
        h = SeedMix.Mix(h ^ (uint)shardIndex);
        return (long)h;
    }

    /// <summary>
    /// The requests of a workload in order: its <c>requests:</c> (named, with the target's defaults filled in; see
    /// <see cref="RequestSpec"/>), or the target's one request. References stay unresolved (activities resolve them).
    /// </summary>
    public static IReadOnlyList<RequestTemplate> BuildRequests(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var target = workload.Target;
        var single = BuildRequest(target);
        if (workload.Requests.Count == 0)
        {
            // Checks are the load's: probes (cold start, readiness) build their request without them.
            return [single with { Checks = target.Checks }];
        }

        return workload.Requests.Select(r =>
        {
            var headers = target.Headers.Where(h => !r.Headers.Keys.Any(k => k.Equals(h.Key, StringComparison.OrdinalIgnoreCase)))
                .Concat(r.Headers)
                .Select(h => new HeaderValue(h.Key, h.Value))
                .ToList();
            return single with
            {
                Name = r.Name,
                Method = r.Method ?? "GET",
                Url = ResolveUrl(target.Url, r.Url),
                Headers = headers,
                Body = r.Body,
                Weight = r.Weight,
                Checks = [.. target.Checks, .. r.Checks],
            };
        }).ToList();
    }

    /// <summary>
    /// The requests of a replay: one per endpoint of the trace (in the order of <see cref="Replay.TraceSummary.Endpoints"/>),
    /// on the target URL's scheme, host and port, with the target's headers and checks. The path (after its leading '/')
    /// and the body are each arrival's own, served by <see cref="Replay.ReplayFeed"/> as the data row's <c>path</c> and
    /// <c>body</c> and written as they are (the trace reader checked the path is origin-form; with a dataset, the feed
    /// filled its holes and REDACTED values, percent-encoded in the path).
    /// </summary>
    public static IReadOnlyList<RequestTemplate> BuildReplayRequests(Workload workload, Replay.TraceSummary trace)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(trace);
        var single = BuildRequest(workload.Target) with { Checks = workload.Target.Checks };
        var url = ResolveUrl(workload.Target.Url, "/" + Replay.ReplayFeed.PathHole);
        return trace.Endpoints.Select(e => single with
        {
            Name = e.Name,
            Method = e.Method,
            Url = url,
            Body = e.HasBody ? Replay.ReplayFeed.BodyHole : null,
        }).ToList();
    }

    /// <summary>The journey's steps as request indices (unknown names are left out; validation reports them).</summary>
    public static IReadOnlyList<JourneyStep> BuildSteps(Workload workload) =>
        workload.Steps
            .Select(step => (Index: workload.Requests.ToList().FindIndex(r => r.Name == step.Request), step.ThinkTime))
            .Where(s => s.Index >= 0)
            .Select(s => new JourneyStep(s.Index, s.ThinkTime))
            .ToList();

    /// <summary>
    /// A request's URL: empty → the target URL; a path (<c>/api/x?y=1</c>) → the target URL's scheme and authority with
    /// that path; anything else as written.
    /// </summary>
    public static string ResolveUrl(string targetUrl, string url)
    {
        if (url.Length == 0)
        {
            return targetUrl;
        }

        if (!url.StartsWith('/'))
        {
            return url;
        }

        var scheme = targetUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var end = targetUrl.IndexOfAny(['/', '?', '#'], scheme + 3);
        return (end < 0 ? targetUrl : targetUrl[..end]) + url;
    }

    /// <summary>The request template of a target; <c>${env:NAME}</c> references stay unresolved (activities resolve them).</summary>
    public static RequestTemplate BuildRequest(TargetSpec target) => new()
    {
        Method = target.Method,
        Url = target.Url,
        Headers = target.Headers.Select(h => new HeaderValue(h.Key, h.Value)).ToList(),
        Body = target.Body,
        HttpVersion = target.HttpVersion,
        Transport = target.Transport,
        InstanceHeader = target.InstanceHeader,
        InsecureSkipTlsVerify = target.InsecureSkipTlsVerify,
    };

    /// <summary>
    /// The open-model curve for a phase of <paramref name="duration"/>: a constant rate for that long, or the stages
    /// (cut at <paramref name="duration"/>, or extended at the last rate when it is longer).
    /// </summary>
    public static ArrivalCurve BuildCurve(LoadSpec load, TimeSpan duration)
    {
        if (load.Stages.Count == 0)
        {
            var rate = load.Rate ?? throw new InputException("load.rate", "the open model needs a rate or stages.");
            return ArrivalCurve.Constant(rate, duration) with { Process = load.Arrivals };
        }

        var start = load.StartRate ?? Rate.Zero;
        var stages = new List<StageSpec>();
        var elapsed = TimeSpan.Zero;
        var rateAtEnd = start;
        foreach (var stage in load.Stages)
        {
            if (elapsed >= duration)
            {
                break;
            }

            if (elapsed + stage.Duration <= duration)
            {
                stages.Add(stage);
                rateAtEnd = stage.Target;
            }
            else
            {
                // Cut the ramp where the phase ends, at the rate the line has reached there.
                var part = duration - elapsed;
                var fraction = part / stage.Duration;
                rateAtEnd = new Rate(rateAtEnd.PerSecond + ((stage.Target.PerSecond - rateAtEnd.PerSecond) * fraction));
                stages.Add(new StageSpec(part, rateAtEnd));
            }

            elapsed += stage.Duration;
        }

        if (elapsed < duration)
        {
            stages.Add(new StageSpec(duration - elapsed, rateAtEnd));
        }

        return new ArrivalCurve { StartRate = start, Stages = stages, Process = load.Arrivals };
    }

    private static int[] Split(int total, int parts)
    {
        var shares = new int[parts];
        for (var i = 0; i < parts; i++)
        {
            shares[i] = (total / parts) + (i < total % parts ? 1 : 0);
        }

        return shares;
    }

    private static int[] SplitAtLeastOne(int total, int parts, string field)
    {
        if (total < 1)
        {
            throw new InputException(field, $"must be at least 1 (was {total}).");
        }

        // A shard with none could not send at all; rounding up to one per shard is the smaller surprise.
        return Split(Math.Max(total, parts), parts);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
