using System.Globalization;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>Maps a schema-checked document onto the <see cref="Workload"/> records (defaults come from the records).</summary>
internal static partial class WorkloadMapper
{
    public static Workload Map(DocNode root, ErrorSink sink, string? sourceDirectory)
    {
        var r = new MapReader(root as DocMap, DocPath.Root, sink);
        var cost = r.Map("cost");
        var sweep = r.Map("sweep");
        var capacity = r.Map("capacity");
        return new Workload
        {
            Name = r.String("name") ?? "",
            Description = r.String("description"),
            Target = MapTarget(r.Map("target")),
            Requests = MapRequests(r),
            Steps = MapSteps(r),
            Data = MapData(r.Map("data")),
            Load = MapLoad(r.Map("load")),
            ColdStart = MapColdStart(r.Map("coldStart")),
            Cost = cost.Exists ? MapCost(cost) : null,
            Compare = MapCompare(r.Map("compare")),
            Thresholds = Strings(r, "thresholds"),
            Sweep = sweep.Exists ? MapSweep(sweep) : null,
            Capacity = capacity.Exists ? MapCapacity(capacity) : null,
            Slo = MapSlo(r.Map("slo")),
            Faults = MapFaults(r),
            Alerts = MapAlerts(r.Map("alerts")),
            Schedule = r.String("schedule"),
            Tags = r.StringMap("tags"),
            SourceDirectory = sourceDirectory,
        };
    }

    private static TargetSpec MapTarget(MapReader t)
    {
        var process = t.Map("process");
        var azure = t.Map("azure");
        var defaults = new TargetSpec { Url = "" };
        return new TargetSpec
        {
            Url = t.String("url") ?? "",
            Method = t.String("method") ?? defaults.Method,
            Headers = t.StringMap("headers"),
            Body = t.String("body"),
            HttpVersion = NormaliseHttpVersion(t.Text("httpVersion")) ?? defaults.HttpVersion,
            Transport = t.Enum<TransportKind>("transport") ?? defaults.Transport,
            InstanceHeader = t.String("instanceHeader") ?? defaults.InstanceHeader,
            InsecureSkipTlsVerify = t.Bool("insecureSkipTlsVerify") ?? false,
            Correlation = t.Bool("correlation") ?? defaults.Correlation,
            Checks = MapChecks(t),
            Process = process.Exists ? MapProcess(process) : null,
            Azure = azure.Exists
                ? new AzureTargetSpec { ResourceId = azure.String("resourceId") ?? "", LogAnalyticsWorkspaceId = azure.String("logAnalyticsWorkspaceId") }
                : null,
        };
    }

    private static List<RequestSpec> MapRequests(MapReader r)
    {
        var requests = new List<RequestSpec>();
        foreach (var (node, path) in r.List("requests"))
        {
            // Unreadable entries stay (with empty fields) so request indices keep matching the file.
            var q = r.Sub(node, path);
            requests.Add(new RequestSpec
            {
                Name = q.String("name") ?? "",
                Method = q.String("method"),
                Url = q.String("url") ?? "",
                Headers = q.StringMap("headers"),
                Body = q.String("body"),
                Weight = q.Double("weight") ?? 1,
                Checks = MapChecks(q),
            });
        }

        return requests;
    }

    /// <summary>
    /// <c>checks:</c> entries: a string (the expression, which also names the check) or <c>{ name, expect }</c>.
    /// Unreadable entries stay (empty) so indices keep matching the file; validation reports them.
    /// </summary>
    private static List<Load.Checks.CheckSpec> MapChecks(MapReader r)
    {
        var checks = new List<Load.Checks.CheckSpec>();
        foreach (var (node, path) in r.List("checks"))
        {
            if (node is DocScalar { Kind: ScalarKind.String } s)
            {
                checks.Add(new Load.Checks.CheckSpec(s.Text));
            }
            else
            {
                var c = r.Sub(node, path);
                checks.Add(new Load.Checks.CheckSpec(c.String("expect") ?? "", c.String("name")));
            }
        }

        return checks;
    }

    private static DataSpec? MapData(MapReader d) => d.Exists
        ? new DataSpec
        {
            File = d.String("file"),
            Blob = d.String("blob"),
            Mode = d.Enum<DataMode>("mode") ?? DataMode.Sequential,
            Seed = d.Long("seed"),
            OnExhausted = d.Enum<DataExhaustion>("onExhausted"),
        }
        : null;

    private static List<StepSpec> MapSteps(MapReader r)
    {
        var steps = new List<StepSpec>();
        foreach (var (node, path) in r.List("steps"))
        {
            var step = r.Sub(node, path);
            steps.Add(new StepSpec { Request = step.String("request") ?? "", ThinkTime = step.Duration("thinkTime") });
        }

        return steps;
    }

    private static ProcessSpec MapProcess(MapReader p) => new()
    {
        Command = p.String("command") ?? "",
        Args = Strings(p, "args"),
        WorkingDirectory = p.String("workingDirectory"),
        Env = p.StringMap("env"),
        ReadyUrl = p.String("readyUrl"),
        ReadyTimeout = p.Duration("readyTimeout") ?? new ProcessSpec { Command = "" }.ReadyTimeout,
    };

    private static LoadSpec MapLoad(MapReader l)
    {
        var defaults = new LoadSpec();
        var stages = new List<StageSpec>();
        foreach (var (node, path) in l.List("stages"))
        {
            // Unreadable stages stay in the list (as zero) so stage indices keep matching the file.
            var stage = l.Sub(node, path);
            stages.Add(new StageSpec(stage.Duration("duration") ?? TimeSpan.Zero, stage.Rate("target") ?? Rate.Zero));
        }

        var duration2 = l.Duration("duration");
        return new LoadSpec
        {
            Model = l.Enum<LoadModel>("model") ?? defaults.Model,
            Rate = l.Rate("rate"),
            StartRate = l.Rate("startRate"),
            Stages = stages,
            Concurrency = l.Int("concurrency"),
            ThinkTime = l.Duration("thinkTime") ?? defaults.ThinkTime,

            // With stages the duration is their sum; a given duration must equal it (a semantic check says so).
            Duration = duration2 ?? (stages.Count > 0 ? stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration) : TimeSpan.Zero),
            Warmup = l.Duration("warmup") ?? defaults.Warmup,
            Shards = l.Int("shards") ?? defaults.Shards,
            MaxInFlight = l.Int("maxInFlight") ?? defaults.MaxInFlight,
            Connections = l.Int("connections"),
            Timeout = l.Duration("timeout") ?? defaults.Timeout,
            TimerSlack = l.Duration("timerSlack") ?? defaults.TimerSlack,
            MinShardSuccess = l.Double("minShardSuccess") ?? defaults.MinShardSuccess,
            Seed = l.Long("seed"),
            Arrivals = l.Enum<ArrivalProcess>("arrivals") ?? defaults.Arrivals,
            Trace = MapTrace(l),
            Speed = l.Double("speed") ?? defaults.Speed,
            Window = l.Map("window") is { Exists: true } window ? new TraceWindow(window.Duration("from") ?? TimeSpan.Zero, window.Duration("duration")) : null,
        };
    }

    /// <summary><c>load.trace</c>: a file path (a string), or <c>{ file: … }</c> / <c>{ blob: … }</c>.</summary>
    private static TraceSpec? MapTrace(MapReader l) => l.Node("trace") switch
    {
        null => null,
        DocScalar { Kind: ScalarKind.String } s => new TraceSpec { File = s.Text },
        DocMap => l.Map("trace") is var t ? new TraceSpec { File = t.String("file"), Blob = t.String("blob") } : null,
        _ => null, // the schema reports the wrong type
    };

    private static ColdStartSpec MapColdStart(MapReader c)
    {
        var defaults = new ColdStartSpec();
        return new ColdStartSpec
        {
            Strategy = c.Enum<ColdStartStrategy>("strategy") ?? defaults.Strategy,
            Probes = c.Int("probes") ?? defaults.Probes,
            WarmRequests = c.Int("warmRequests") ?? defaults.WarmRequests,
            IdleTime = c.Duration("idleTime") ?? defaults.IdleTime,
            IdleTimes = c.DurationList("idleTimes"),
            Settle = c.Duration("settle") ?? defaults.Settle,
            ProbeTimeout = c.Duration("probeTimeout") ?? defaults.ProbeTimeout,
            Url = c.String("url"),
        };
    }

    private static CostSpec MapCost(MapReader c)
    {
        var defaults = new CostSpec { Plan = HostingPlan.Consumption };
        return new CostSpec
        {
            Plan = c.Enum<HostingPlan>("plan") ?? defaults.Plan,
            Region = c.String("region") ?? defaults.Region,
            InstanceMemoryMB = c.Int("instanceMemoryMB") ?? defaults.InstanceMemoryMB,
            ExecutionMemoryMB = c.Int("executionMemoryMB") ?? defaults.ExecutionMemoryMB,
            AlwaysReadyInstances = c.Int("alwaysReadyInstances") ?? defaults.AlwaysReadyInstances,
            PremiumVcpu = c.Double("premiumVcpu") ?? defaults.PremiumVcpu,
            PremiumMemoryGB = c.Double("premiumMemoryGB") ?? defaults.PremiumMemoryGB,
            PremiumInstances = c.Int("premiumInstances") ?? defaults.PremiumInstances,
            IncludeFreeGrant = c.Bool("includeFreeGrant") ?? defaults.IncludeFreeGrant,
            PricingFile = c.String("pricingFile"),
        };
    }

    private static CompareSpec MapCompare(MapReader c)
    {
        var defaults = new CompareSpec();
        return new CompareSpec
        {
            Metrics = Strings(c, "metrics"),
            Margin = ReadMargin(c) ?? defaults.Margin,
            Alpha = c.Double("alpha") ?? defaults.Alpha,
            Repeat = c.Int("repeat") ?? defaults.Repeat,
            MinTailSamples = c.Int("minTailSamples") ?? defaults.MinTailSamples,
            Baseline = c.String("baseline") is { } b ? NormaliseBaseline(b) : defaults.Baseline,
            Environment = c.String("environment"),
            Against = c.Map("against").String("url"),
            Recycle = c.Bool("recycle") ?? defaults.Recycle,
        };
    }

    private static List<FaultSpec> MapFaults(MapReader r)
    {
        var faults = new List<FaultSpec>();
        foreach (var (node, path) in r.List("faults"))
        {
            // Unreadable entries stay (with defaults) so indices keep matching the file; validation reports them.
            var f = r.Sub(node, path);
            faults.Add(new FaultSpec
            {
                Kind = f.Enum<FaultKind>("kind") ?? FaultKind.Restart,
                At = f.Duration("at") ?? TimeSpan.Zero,
                For = f.Duration("for"),
                Ms = f.Int("ms"),
                Rate = ReadShare(f, "rate"),
                Name = f.String("name"),
                Value = f.Node("value") switch
                {
                    DocScalar { Kind: ScalarKind.Number } n when n.TryGetDouble(out var v) => MapReader.Format(v),
                    DocScalar { Kind: ScalarKind.Bool } b => b.Text.ToLowerInvariant(),
                    DocScalar scalar and not { Kind: ScalarKind.Null } => scalar.Text,
                    _ => null,
                },
            });
        }

        return faults;
    }

    private static SweepSpec MapSweep(MapReader s)
    {
        var grid = s.Map("grid");
        return new SweepSpec
        {
            Parameter = s.String("parameter") ?? "",
            Values = Values(s, "values"),
            Grid = grid.Exists ? grid.Entries.Select(parameter => new SweepDimension(parameter, Values(grid, parameter))).ToList() : [],
            Order = s.Enum<RoundOrderSpec>("order"),
            Recommend = MapRecommend(s),
            SettleTimeout = s.Duration("settleTimeout") ?? SweepSpec.DefaultSettleTimeout,
        };
    }

    private static RecommendSpec MapRecommend(MapReader s)
    {
        var defaults = new RecommendSpec();
        return new RecommendSpec
        {
            Strategy = s.Enum<RecommendStrategy>("recommend") ?? defaults.Strategy,
            Weight = s.Double("costWeight") ?? defaults.Weight,
        };
    }

    /// <summary>Sweep values as text (numbers in their shortest invariant form).</summary>
    private static List<string> Values(MapReader s, string key) =>
        s.List(key)
            .Select(item => item.Node switch
            {
                DocScalar { Kind: ScalarKind.Number } n when n.TryGetDouble(out var v) => MapReader.Format(v),
                DocScalar scalar => scalar.Text,
                _ => null,
            })
            .OfType<string>()
            .ToList();

    private static CapacitySpec MapCapacity(MapReader c)
    {
        var defaults = new CapacitySpec();
        var autostop = c.Map("autostop");
        return new CapacitySpec
        {
            Slo = Strings(c, "slo"),
            StartRate = c.Rate("startRate"),
            MaxRate = c.Rate("maxRate"),
            Growth = c.Double("growth") ?? defaults.Growth,
            Precision = ReadFraction(c, "precision") ?? defaults.Precision,
            MaxSteps = c.Int("maxSteps") ?? defaults.MaxSteps,
            MaxLag = c.Duration("maxLag"),
            AutoStopErrorRate = ReadFraction(autostop, "errorRate") ?? defaults.AutoStopErrorRate,
            AutoStopLatencyFactor = autostop.Double("latencyFactor") ?? defaults.AutoStopLatencyFactor,
        };
    }

    /// <summary>A fraction written as 0.05 or "5%".</summary>
    internal static double? ReadFraction(MapReader c, string key) => c.Node(key) switch
    {
        DocScalar { Kind: ScalarKind.Number } n when n.TryGetDouble(out var v) => v,
        DocScalar { Kind: ScalarKind.String } s when s.Text.Trim().EndsWith('%')
            && double.TryParse(s.Text.Trim().TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) => pct / 100,
        _ => null,
    };

    /// <summary>Margin as a fraction: <c>0.05</c> or <c>"5%"</c>.</summary>
    internal static double? ReadMargin(MapReader c)
    {
        switch (c.Node("margin"))
        {
            case DocScalar { Kind: ScalarKind.Number } n when n.TryGetDouble(out var v):
                return v;
            case DocScalar { Kind: ScalarKind.String } s when s.Text.Trim().EndsWith('%')
                && double.TryParse(s.Text.Trim().TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct):
                return pct / 100;
            default:
                return null;
        }
    }

    internal static string NormaliseBaseline(string text) =>
        string.Concat(text.Where(ch => !char.IsWhiteSpace(ch)));

    private static string? NormaliseHttpVersion(string? text) => text switch
    {
        null => null,
        "1.1" => "1.1",
        "2" or "2.0" => "2",
        _ => text,
    };

    private static List<string> Strings(MapReader r, string key) =>
        r.List(key).Select(i => i.Node is DocScalar { Kind: ScalarKind.String } s ? s.Text : null).OfType<string>().ToList();
}
