using System.Globalization;
using System.Text.RegularExpressions;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly int[] FlexInstanceMemoryMB = [512, 2048, 4096];

    private static readonly DocPath ColdStartPath = DocPath.Root.Key("coldStart");
    private static readonly DocPath CostPath = DocPath.Root.Key("cost");
    private static readonly DocPath ComparePath = DocPath.Root.Key("compare");
    private static readonly DocPath SweepPath = DocPath.Root.Key("sweep");

    /// <summary>Sweep parameters that change Flex Consumption scale settings.</summary>
    internal static readonly string[] SweepParameters = ["instanceMemoryMB", "perInstanceConcurrency", "alwaysReady", "maximumInstanceCount"];

    /// <summary>Longest wait for a target to serve again after a sweep value is applied (a Durable activity must not hang).</summary>
    private static readonly TimeSpan MaxSettleTimeout = TimeSpan.FromMinutes(30);

    private void CheckColdStart()
    {
        var c = _w.ColdStart;
        var strategyPath = ColdStartPath.Key("strategy");
        switch (c.Strategy)
        {
            case ColdStartStrategy.Process when _w.Target.Process is null:
                Error(strategyPath, "'process' restarts the local target process, so it needs target.process.");
                break;
            case ColdStartStrategy.Restart or ColdStartStrategy.AppSetting when _w.Target.Azure is null:
                Error(strategyPath, $"'{MapReader.CamelCase(c.Strategy.ToString())}' acts on the Azure function app, so it needs target.azure (resourceId).");
                break;
        }

        if (c.Probes > LoadCaps.MaxColdStartProbes)
        {
            Error(ColdStartPath.Key("probes"), $"{c.Probes} is above the cap of {LoadCaps.MaxColdStartProbes}.");
        }

        foreach (var (key, value) in (ReadOnlySpan<(string, TimeSpan)>)[("idleTime", c.IdleTime), ("probeTimeout", c.ProbeTimeout)])
        {
            if (value <= TimeSpan.Zero)
            {
                Error(ColdStartPath.Key(key), "must be positive.");
            }
        }

        if (c.Url is not null)
        {
            CheckUrl(ColdStartPath.Key("url"), c.Url, resolveReferences: false);
        }

        CheckIdleTimes(c);
    }

    /// <summary>
    /// <c>coldStart.idleTimes</c>, the eviction curve: only with the idle strategy and instead of <c>idleTime</c>, at
    /// most <see cref="LoadCaps.MaxIdleTimes"/> distinct positive times of at most a day, and a total idle wait
    /// (probes × the sum) of at most <see cref="LoadCaps.MaxColdStartIdle"/>, since the run waits all of it.
    /// </summary>
    private void CheckIdleTimes(ColdStartSpec c)
    {
        var doc = _doc.Map("coldStart");
        if (!doc.Has("idleTimes"))
        {
            // One idle time: the same bounds, so a single long idleTime cannot hold a run (and a run slot) open for days.
            if (c.Strategy == ColdStartStrategy.Idle && c.IdleTime > TimeSpan.Zero)
            {
                CheckTotalIdle(ColdStartPath.Key("idleTime"), c, [c.IdleTime]);
            }

            return;
        }

        var path = ColdStartPath.Key("idleTimes");
        if (c.Strategy != ColdStartStrategy.Idle)
        {
            Error(path, "is for the idle strategy (the eviction curve); set strategy: idle or remove it.");
            return;
        }

        if (doc.Has("idleTime"))
        {
            Error(path, "set either idleTime (one idle time) or idleTimes (the eviction curve), not both.");
        }

        if (c.IdleTimes.Count == 0)
        {
            Error(path, "needs at least one idle time, for example [1m, 5m, 20m].");
            return;
        }

        if (c.IdleTimes.Count > LoadCaps.MaxIdleTimes)
        {
            Error(path, $"{c.IdleTimes.Count} idle times is above the cap of {LoadCaps.MaxIdleTimes}.");
        }

        for (var i = 0; i < c.IdleTimes.Count; i++)
        {
            var value = c.IdleTimes[i];
            if (value <= TimeSpan.Zero || value > LoadCaps.MaxIdleTime)
            {
                Error(path.Index(i), $"{DurationText.Format(value)} is outside (0, {DurationText.Format(LoadCaps.MaxIdleTime)}].");
            }
            else if (c.IdleTimes.Take(i).Contains(value))
            {
                Error(path.Index(i), $"{DurationText.Format(value)} is listed twice; each idle time is probed {c.Probes} time(s) already.");
            }
        }

        CheckTotalIdle(path, c, c.IdleTimes.Where(t => t > TimeSpan.Zero && t <= LoadCaps.MaxIdleTime).ToList());
    }

    /// <summary>Probes × the idle times is how long the run waits: at most <see cref="LoadCaps.MaxColdStartIdle"/>.</summary>
    private void CheckTotalIdle(DocPath path, ColdStartSpec c, List<TimeSpan> idleTimes)
    {
        if (idleTimes.Count == 1 && idleTimes[0] > LoadCaps.MaxIdleTime)
        {
            Error(path, $"{DurationText.Format(idleTimes[0])} is above the cap of {DurationText.Format(LoadCaps.MaxIdleTime)}.");
            return;
        }

        var sum = TimeSpan.FromTicks(idleTimes.Sum(t => t.Ticks));
        var total = sum * Math.Max(c.Probes, 1);
        if (total > LoadCaps.MaxColdStartIdle)
        {
            Error(path, $"{c.Probes} probe(s) × {DurationText.Format(sum)} of idle time = {DurationText.Format(total)} of waiting, above the cap of {DurationText.Format(LoadCaps.MaxColdStartIdle)}; use fewer probes or shorter idle times.");
        }
    }

    private void CheckCost()
    {
        if (_w.Cost is not { } cost)
        {
            return;
        }

        var doc = _doc.Map("cost");
        if (doc.Has("region") && !AzureRegions.IsKnown(cost.Region))
        {
            Error(CostPath.Key("region"), $"'{cost.Region}' is not an Azure region name; did you mean '{AzureRegions.Closest(cost.Region)}'? (ARM names are lowercase without spaces, for example westeurope.)");
        }

        // Without a readable plan (the schema already said so) the plan-specific rules would guess.
        if (_sink.HasStructuralAt(CostPath.Key("plan")))
        {
            return;
        }

        var plan = MapReader.CamelCase(cost.Plan.ToString());
        var flex = cost.Plan is HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady;
        if (flex && !FlexInstanceMemoryMB.Contains(cost.InstanceMemoryMB))
        {
            Error(CostPath.Key("instanceMemoryMB"), $"{cost.InstanceMemoryMB} is not a Flex Consumption instance size; use 512, 2048 or 4096.");
        }

        if (!flex && doc.Has("instanceMemoryMB"))
        {
            Error(CostPath.Key("instanceMemoryMB"), $"applies to the Flex Consumption plans, not '{plan}'.");
        }

        if (cost.Plan == HostingPlan.Consumption && cost.ExecutionMemoryMB is < 128 or > 1536)
        {
            Error(CostPath.Key("executionMemoryMB"), $"{cost.ExecutionMemoryMB} MB is outside 128..1536, the memory range the Consumption plan bills.");
        }

        if (cost.Plan != HostingPlan.Consumption && doc.Has("executionMemoryMB"))
        {
            Error(CostPath.Key("executionMemoryMB"), $"applies to the Consumption plan, not '{plan}'.");
        }

        if (cost.Plan == HostingPlan.FlexConsumptionAlwaysReady && cost.AlwaysReadyInstances < 1)
        {
            Error(CostPath.Key("alwaysReadyInstances"), "the flexConsumptionAlwaysReady plan needs at least 1 always-ready instance.");
        }
        else if (cost.Plan != HostingPlan.FlexConsumptionAlwaysReady && cost.AlwaysReadyInstances > 0)
        {
            Error(CostPath.Key("alwaysReadyInstances"), $"always-ready instances are billed only on the flexConsumptionAlwaysReady plan, not '{plan}'.");
        }

        if (cost.Plan != HostingPlan.Premium)
        {
            foreach (var key in (string[])["premiumVcpu", "premiumMemoryGB", "premiumInstances"])
            {
                if (doc.Has(key))
                {
                    Error(CostPath.Key(key), $"applies to the premium plan, not '{plan}'.");
                }
            }
        }
    }

    private void CheckCompare()
    {
        var c = _w.Compare;
        var doc = _doc.Map("compare");
        if (doc.Has("margin") && WorkloadMapper.ReadMargin(doc) is { } margin && margin is <= 0 or > 0.5)
        {
            Error(ComparePath.Key("margin"), $"{margin.ToString("0.####", CultureInfo.InvariantCulture)} is outside (0, 0.5]; write a fraction such as 0.05 or a percentage such as \"5%\".");
        }

        if (c.Repeat > LoadCaps.MaxRepeat)
        {
            Error(ComparePath.Key("repeat"), $"{c.Repeat} is above the cap of {LoadCaps.MaxRepeat}.");
        }

        if (c.MinTailSamples < 0)
        {
            Error(ComparePath.Key("minTailSamples"), $"{c.MinTailSamples} is negative; give the tail samples a gated quantile needs per run (default 100, 0 turns the floor off).");
        }

        CheckAgainst(c);
        CheckRecycle(c);

        var rolling = RollingBaseline().Match(c.Baseline);
        if (rolling.Success && (!int.TryParse(rolling.Groups[1].Value, CultureInfo.InvariantCulture, out var n) || n is < 2 or > 50))
        {
            Error(ComparePath.Key("baseline"), $"rolling({rolling.Groups[1].Value}) needs N in 2..50 (the number of accepted runs forming the baseline).");
        }

        for (var i = 0; i < c.Metrics.Count; i++)
        {
            var path = ComparePath.Key("metrics").Index(i);
            if (c.Metrics[i] == "coldStartP50" && _w.ColdStart.Strategy == ColdStartStrategy.None)
            {
                Error(path, "coldStartP50 needs cold-start probes; set coldStart.strategy.");
            }
            else if (c.Metrics[i] == "costPerRequest" && _w.Cost is null)
            {
                Error(path, "costPerRequest needs a cost section (plan and region).");
            }
        }
    }

    /// <summary>
    /// <c>compare.against</c>, the paired A/B gate: an origin only (the candidate's paths are sent to it), at least two
    /// pairs, and not with a sweep or a capacity search (their rounds already vary something else).
    /// </summary>
    private void CheckAgainst(CompareSpec c)
    {
        if (c.Against is null)
        {
            return;
        }

        var path = ComparePath.Key("against").Key("url");
        if (CheckUrl(path, c.Against, resolveReferences: false) is { } url)
        {
            if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                Error(path, $"give the reference's origin only (scheme, host, port), for example {url.GetLeftPart(UriPartial.Authority)}; the candidate's paths and queries are sent to it.");
            }
            else if (Uri.TryCreate(_w.Target.Url, UriKind.Absolute, out var target)
                && string.Equals(target.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                Error(path, "is the target's own origin: a paired gate compares two deployments (production and the candidate).");
            }
        }

        if (c.Repeat < 2)
        {
            Error(ComparePath.Key("repeat"), $"a paired gate (compare.against) needs at least 2 pairs of rounds; {c.Repeat} given. Each repeat is one pair; 6 or more let the signed-rank test decide.");
        }

        if (_w.Sweep is not null)
        {
            Error(ComparePath.Key("against"), "cannot be combined with a sweep: the sweep's rounds already vary a setting.");
        }

        if (_w.Capacity is not null)
        {
            Error(ComparePath.Key("against"), "cannot be combined with a capacity search.");
        }
    }

    /// <summary>
    /// <c>compare.recycle</c>: a local <c>target.process</c> only (Yardstick starts and stops it), with rounds to make
    /// independent, and not where rounds mean something else (a sweep's values, a capacity search's steps, a paired
    /// gate's pairs, whose reference is not a process Yardstick runs).
    /// </summary>
    private void CheckRecycle(CompareSpec c)
    {
        if (!c.Recycle)
        {
            return;
        }

        var path = ComparePath.Key("recycle");
        if (_w.Target.Process is null)
        {
            Error(path, _w.Target.Azure is not null
                ? "only a local target.process can be recycled between rounds; an Azure app would need an ARM restart (and a cold start) per round, which is not built. Remove it, or calibrate (yardstick calibrate) for the between-run noise."
                : "only a local target.process can be recycled between rounds: Yardstick cannot restart a target it did not start. Remove it, or calibrate (yardstick calibrate) for the between-run noise.");
            return;
        }

        if (c.Repeat < 2)
        {
            Error(path, $"recycles the target between measured rounds, and compare.repeat is {c.Repeat}; give compare.repeat: 2 or more.");
        }

        if (_w.Sweep is not null)
        {
            Error(path, "cannot be combined with a sweep: the sweep restarts the process for each value already.");
        }

        if (_w.Capacity is not null)
        {
            Error(path, "cannot be combined with a capacity search: its steps must run against one warm target.");
        }

        if (c.Against is not null)
        {
            Error(path, "cannot be combined with compare.against: the reference is not a process Yardstick runs, so only one side would be recycled.");
        }
    }

    private void CheckThresholds()
    {
        for (var i = 0; i < _w.Thresholds.Count; i++)
        {
            var path = DocPath.Root.Key("thresholds").Index(i);
            if (!ThresholdParser.TryParse(_w.Thresholds[i], out var threshold, out var error))
            {
                Error(path, error!);
            }
            else if (threshold!.Metric == "coldStartP50" && _w.ColdStart.Strategy == ColdStartStrategy.None)
            {
                Error(path, "coldStartP50 needs cold-start probes; set coldStart.strategy.");
            }
            else if (threshold.Metric == MetricKeys.RecoveryTime && _w.Faults.Count == 0)
            {
                Error(path, "recoveryTime needs a fault run; add faults: (for example [{ at: 10s, kind: stall, ms: 300, for: 5s }]).");
            }
            else if (threshold.Metric == "costPerRequest" && _w.Cost is null)
            {
                Error(path, "costPerRequest needs a cost section (plan and region).");
            }
            else if (MetricKeys.Split(threshold.Metric).Metric == MetricKeys.Checks && !HasChecks(MetricKeys.Split(threshold.Metric).Request))
            {
                Error(path, MetricKeys.Split(threshold.Metric).Request is { } request
                    ? $"names the checks of request '{request}', which has none; add checks: to it (or to target)."
                    : "names checks, but no request has any; add checks: to target or to requests.");
            }
        }
    }

    private bool HasChecks(string? request) =>
        _w.Target.Checks.Count > 0 || (request is null ? _w.Requests.Any(r => r.Checks.Count > 0) : _w.Requests.Any(r => r.Name == request && r.Checks.Count > 0));

    private void CheckSweep()
    {
        if (_w.Sweep is not { } sweep)
        {
            return;
        }

        var doc = _doc.Map("sweep");
        var grid = doc.Has("grid");
        if (grid && (doc.Has("parameter") || doc.Has("values")))
        {
            Error(SweepPath.Key("grid"), "give either parameter and values (one setting) or grid (several), not both.");
            return;
        }

        if (!grid)
        {
            if (!doc.Has("parameter"))
            {
                Error(SweepPath.Key("parameter"), "is required (the setting to sweep), or give grid for several settings.");
            }

            if (!doc.Has("values"))
            {
                Error(SweepPath.Key("values"), "is required: the values of the parameter, for example [512, 2048, 4096].");
            }
        }

        if (sweep.SettleTimeout <= TimeSpan.Zero || sweep.SettleTimeout > MaxSettleTimeout)
        {
            Error(SweepPath.Key("settleTimeout"), $"{DurationText.Format(sweep.SettleTimeout)} is outside (0, {DurationText.Format(MaxSettleTimeout)}].");
        }

        if (doc.Has("costWeight") && sweep.Recommend.Strategy != RecommendStrategy.Balanced)
        {
            Error(SweepPath.Key("costWeight"), "applies to recommend: balanced only (the weight of cost in its score).");
        }

        foreach (var dimension in sweep.Dimensions.Where(d => d.Parameter.Length > 0))
        {
            CheckSweepDimension(sweep, dimension, grid ? SweepPath.Key("grid").Key(dimension.Parameter) : SweepPath.Key("values"), grid ? SweepPath.Key("grid").Key(dimension.Parameter) : SweepPath.Key("parameter"));
        }

        if (grid)
        {
            CheckGridSize(sweep);
        }
    }

    private void CheckSweepDimension(SweepSpec sweep, SweepDimension dimension, DocPath valuesPath, DocPath parameterPath)
    {
        // appSetting:NAME also works on a local process target: it is restarted with NAME=value in its environment.
        var appSetting = dimension.Parameter.StartsWith(Ports.TargetSetting.AppSettingPrefix, StringComparison.Ordinal);
        if (_w.Target.Azure is null && !(appSetting && _w.Target.Process is not null))
        {
            Error(sweep.Grid.Count > 0 ? parameterPath : SweepPath, appSetting
                ? "a sweep changes settings of the target between rounds, so it needs target.azure (resourceId) or, for appSetting:NAME, a local target.process (started with NAME=value in its environment)."
                : $"a sweep changes settings of the Azure function app between rounds, so it needs target.azure (resourceId); {dimension.Parameter} exists only there (appSetting:NAME sweeps also work on a local target.process).");
        }

        // On a deployed app these names are the platform's, the host's, Yardstick's or credentials. (A local target.process
        // is started by Yardstick for the run, so its environment is the sweep's to set: the sample target's
        // YARDSTICK_EXTRA_LATENCY_MS knob, for instance.)
        if (appSetting && _w.Target.Azure is not null && Load.Safety.ReservedAppSettings.IsReserved(dimension.Parameter[Ports.TargetSetting.AppSettingPrefix.Length..]))
        {
            Error(parameterPath, $"'{dimension.Parameter}' may not be swept: {Load.Safety.ReservedAppSettings.Rule}.");
        }

        var flexOnly = SweepParameters.Contains(dimension.Parameter);
        if (flexOnly && _w.Cost is { Plan: not (HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady) } cost)
        {
            Error(parameterPath, $"{dimension.Parameter} is a Flex Consumption setting, but cost.plan is '{MapReader.CamelCase(cost.Plan.ToString())}'.");
        }

        for (var i = 0; i < dimension.Values.Count; i++)
        {
            var value = dimension.Values[i];
            var path = valuesPath.Index(i);
            var problem = dimension.Parameter switch
            {
                "instanceMemoryMB" => WholeIn(value, FlexInstanceMemoryMB) ? null : "instance memory must be 512, 2048 or 4096 (MB).",
                "perInstanceConcurrency" => WholeBetween(value, 1, 1000) ? null : "per-instance concurrency must be a whole number in 1..1000.",
                "alwaysReady" => WholeBetween(value, 0, 1000) ? null : "the always-ready instance count must be a whole number in 0..1000.",
                "maximumInstanceCount" => WholeBetween(value, 40, 1000) ? null : "maximumInstanceCount must be a whole number in 40..1000 (the Flex Consumption limits).",
                _ => value.Length == 0 ? "an app setting value must not be empty."
                    : sweep.Grid.Count > 0 && value.IndexOfAny([',', '=']) >= 0 ? "a grid value must not contain ',' or '=' (they separate the settings of a cell's name)." : null,
            };
            if (problem is not null)
            {
                Error(path, $"'{value}' is not valid: {problem}");
            }
        }
    }

    /// <summary>A grid multiplies the run: refuse one beyond the caps, showing the arithmetic.</summary>
    private void CheckGridSize(SweepSpec sweep)
    {
        var sizes = sweep.Grid.Select(d => d.Values.Count).ToList();
        var cells = sizes.Aggregate(1L, (product, n) => product * n);
        var arithmetic = string.Join(" × ", sizes) + " = " + cells.ToString("N0", CultureInfo.InvariantCulture);
        if (cells > LoadCaps.MaxSweepVariants)
        {
            Error(SweepPath.Key("grid"), $"{arithmetic} cells, above the cap of {LoadCaps.MaxSweepVariants} variants per run.");
            return;
        }

        var repeat = Math.Max(1, _w.Compare.Repeat);
        var perTurn = _w.Load.Warmup + (_w.Load.Duration > TimeSpan.Zero ? _w.Load.Duration : TimeSpan.Zero);
        var loadTime = perTurn * (cells * repeat);
        if (loadTime > LoadCaps.MaxRunLoadTime)
        {
            Error(SweepPath.Key("grid"), $"{arithmetic} cells × {repeat} rounds × ({DurationText.Format(_w.Load.Warmup)} warm-up + {DurationText.Format(_w.Load.Duration)} measured) = "
                + $"{DurationText.Format(loadTime)} of load, above the cap of {DurationText.Format(LoadCaps.MaxRunLoadTime)} per run.");
        }
    }

    private static bool WholeBetween(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max;

    private static bool WholeIn(string text, int[] allowed) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && allowed.Contains(v);

    [GeneratedRegex(@"^rolling\((\d+)\)$")]
    private static partial Regex RollingBaseline();
}
