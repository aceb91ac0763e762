using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath LoadPath = DocPath.Root.Key("load");

    private void CheckLoad()
    {
        var doc = _doc.Map("load");
        if (!doc.Exists)
        {
            return;
        }

        var l = _w.Load;
        if (l.Model == LoadModel.Replay)
        {
            CheckReplay(doc);
            return;
        }

        CheckReplayFieldsOutsideReplay(doc);
        var hasStages = doc.Has("stages");
        if (l.Model == LoadModel.Open)
        {
            CheckOpenShape(doc, hasStages);
        }
        else
        {
            CheckClosedShape(doc);
        }

        if (l.Rate is { } rate)
        {
            if (rate.PerSecond <= 0)
            {
                Error(LoadPath.Key("rate"), "must be positive (for example 200/s).");
            }

            CapRate(LoadPath.Key("rate"), rate);
        }

        if (l.StartRate is { } startRate)
        {
            CapRate(LoadPath.Key("startRate"), startRate);
        }

        for (var i = 0; i < l.Stages.Count; i++)
        {
            var stagePath = LoadPath.Key("stages").Index(i);
            if (l.Stages[i].Duration <= TimeSpan.Zero)
            {
                Error(stagePath.Key("duration"), "must be positive.");
            }

            CapRate(stagePath.Key("target"), l.Stages[i].Target);
        }

        CheckDurations(doc, hasStages);
        CheckCounts();
        CheckTotalRequests(hasStages);
    }

    private void CheckOpenShape(MapReader doc, bool hasStages)
    {
        var hasRate = doc.Has("rate");
        if (hasRate && hasStages)
        {
            Error(LoadPath.Key("rate"), "give either rate (a constant arrival rate) or stages (a ramp), not both.");
        }
        else if (!hasRate && !hasStages && _w.Capacity?.StartRate is null)
        {
            Error(LoadPath, "the open model needs rate (a constant arrival rate such as 200/s) or stages (a ramp).");
        }

        if (doc.Has("startRate") && !hasStages)
        {
            Error(LoadPath.Key("startRate"), "applies to ramps only; add stages or remove startRate.");
        }

        foreach (var key in (string[])["concurrency", "thinkTime"])
        {
            if (doc.Has(key))
            {
                Error(LoadPath.Key(key), "applies to the closed model; set model: closed, or drive the open model with rate or stages.");
            }
        }
    }

    private void CheckClosedShape(MapReader doc)
    {
        if (!doc.Has("concurrency"))
        {
            Error(LoadPath.Key("concurrency"), "the closed model needs concurrency (the number of virtual users).");
        }

        foreach (var key in (string[])["rate", "startRate", "stages", "arrivals", "maxInFlight"])
        {
            if (doc.Has(key))
            {
                Error(LoadPath.Key(key), "applies to the open model; the closed model is driven by concurrency.");
            }
        }
    }

    private void CheckDurations(MapReader doc, bool hasStages)
    {
        var l = _w.Load;
        var durationPath = LoadPath.Key("duration");
        if (hasStages)
        {
            var sum = l.Stages.Aggregate(TimeSpan.Zero, (total, s) => total + s.Duration);
            if (doc.Has("duration") && l.Duration != sum)
            {
                Error(durationPath, $"is {DurationText.Format(l.Duration)} but the stages add up to {DurationText.Format(sum)}; remove duration or make them equal.");
            }

            if (sum > LoadCaps.MaxDuration)
            {
                Error(doc.Has("duration") ? durationPath : LoadPath.Key("stages"), $"the stages last {DurationText.Format(sum)}, above the cap of {DurationText.Format(LoadCaps.MaxDuration)} per round.");
            }
        }
        else if (!doc.Has("duration"))
        {
            Error(durationPath, "is required: how long to measure each round (for example 30s).");
        }
        else if (l.Duration <= TimeSpan.Zero)
        {
            Error(durationPath, "must be positive.");
        }
        else if (l.Duration > LoadCaps.MaxDuration)
        {
            Error(durationPath, $"{DurationText.Format(l.Duration)} is above the cap of {DurationText.Format(LoadCaps.MaxDuration)} per round.");
        }

        if (l.Warmup > LoadCaps.MaxWarmup)
        {
            Error(LoadPath.Key("warmup"), $"{DurationText.Format(l.Warmup)} is above the cap of {DurationText.Format(LoadCaps.MaxWarmup)}.");
        }

        if (l.Timeout <= TimeSpan.Zero)
        {
            Error(LoadPath.Key("timeout"), "must be positive.");
        }
        else if (l.Timeout > LoadCaps.MaxRequestTimeout)
        {
            Error(LoadPath.Key("timeout"), $"{DurationText.Format(l.Timeout)} is above the cap of {DurationText.Format(LoadCaps.MaxRequestTimeout)}.");
        }

        if (l.TimerSlack > LoadCaps.MaxTimerSlack)
        {
            Error(LoadPath.Key("timerSlack"), $"{DurationText.Format(l.TimerSlack)} is above the cap of {DurationText.Format(LoadCaps.MaxTimerSlack)}: a slack that long no longer paces the arrivals, it only batches them.");
        }
        else if (l.TimerSlack > TimeSpan.Zero && l.Model == LoadModel.Closed)
        {
            Error(LoadPath.Key("timerSlack"), "applies to the open and replay models: the closed model has no arrival schedule to pace.");
        }
    }

    private void CheckCounts()
    {
        var l = _w.Load;
        Cap(LoadPath.Key("concurrency"), l.Concurrency, LoadCaps.MaxConcurrency);
        Cap(LoadPath.Key("connections"), l.Connections, LoadCaps.MaxConnections);
        Cap(LoadPath.Key("maxInFlight"), l.MaxInFlight, LoadCaps.MaxInFlight);
        Cap(LoadPath.Key("shards"), l.Shards, LoadCaps.MaxShards);

        if (l.Model == LoadModel.Closed && l.Concurrency is { } users && users > 0 && l.Shards > users)
        {
            Error(LoadPath.Key("shards"), $"{l.Shards} shards cannot share {Plural(users, "virtual user")}; use at most {users} shards.");
        }

        if (l.Model == LoadModel.Open && l.Shards > l.MaxInFlight)
        {
            Error(LoadPath.Key("shards"), $"{l.Shards} shards cannot share maxInFlight {l.MaxInFlight}; each shard needs at least one request in flight.");
        }

        if (l.Connections is { } connections && connections < l.Shards)
        {
            Error(LoadPath.Key("connections"), $"{Plural(connections, "connection")} cannot serve {l.Shards} shards; each shard needs at least one.");
        }
    }

    private void CheckTotalRequests(bool hasStages)
    {
        var l = _w.Load;
        if (l.Model != LoadModel.Open)
        {
            return;
        }

        double perRound;
        if (hasStages)
        {
            // The ramp is linear within each stage, so each stage contributes the trapezoid under it.
            perRound = 0;
            var previous = l.StartRate ?? Rate.Zero;
            foreach (var stage in l.Stages)
            {
                perRound += (previous.PerSecond + stage.Target.PerSecond) / 2 * stage.Duration.TotalSeconds;
                previous = stage.Target;
            }
        }
        else if (l.Rate is { } rate)
        {
            perRound = rate.PerSecond * l.Duration.TotalSeconds;
        }
        else
        {
            return;
        }

        var sizes = _w.Sweep?.Dimensions.Select(d => d.Values.Count).ToList() ?? [];
        var sweepValues = Math.Max(1, sizes.Aggregate(1L, (product, n) => product * Math.Max(1, n)));
        var total = perRound * Math.Max(1, _w.Compare.Repeat) * sweepValues;
        if (hasStages && (l.StartRate ?? Rate.Zero) == Rate.Zero && l.Stages.All(s => s.Target == Rate.Zero))
        {
            Error(LoadPath.Key("stages"), "every stage targets 0/s, so the run would send no requests.");
        }
        else if (total > LoadCaps.MaxTotalRequests)
        {
            var formula = _w.Sweep is { Grid.Count: > 0 }
                ? $"{perRound:N0} requests per turn × {Math.Max(1, _w.Compare.Repeat)} rounds × {string.Join(" × ", sizes)} grid cells"
                : sweepValues > 1 ? "rate × duration × repeat × sweep values" : "rate × duration × repeat";
            Error(LoadPath, $"the run would send about {total:N0} requests ({formula}), above the cap of {LoadCaps.MaxTotalRequests:N0}.");
        }
    }

    private void CapRate(DocPath path, Rate rate)
    {
        if (rate.PerSecond > LoadCaps.MaxRatePerSecond)
        {
            Error(path, $"{rate} is above the cap of {LoadCaps.MaxRatePerSecond:N0}/s.");
        }
    }

    private void Cap(DocPath path, long? value, long cap)
    {
        if (value > cap)
        {
            Error(path, $"{value:N0} is above the cap of {cap:N0}.");
        }
    }
}
