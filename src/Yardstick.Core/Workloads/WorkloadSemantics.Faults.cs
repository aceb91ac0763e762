using System.Globalization;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath FaultsPath = DocPath.Root.Key("faults");

    /// <summary>
    /// Seconds of load every fault needs before it (from the measured phase's start): the pre-fault band is read from
    /// the per-second windows before the first fault, and fewer than this would make it noise.
    /// </summary>
    internal const int MinPreFaultSeconds = 3;

    /// <summary>
    /// <c>faults</c>: each inside the measured phase, one at a time in order of <c>at</c>, with the fields its kind takes and
    /// a target it can act on (restart: <c>target.process</c> or <c>target.azure</c>; appSetting: <c>target.azure</c> and a
    /// name a sweep may change; stall/fail: the target URL's own origin, which must serve the sample target's admin toggles).
    /// Whether the target serves the admin toggles is known only when the fault is applied (a 404 is the fault's outcome).
    /// A fault run measures one round of fixed load, so sweeps, capacity searches, repeats and paired gates are refused.
    /// </summary>
    private void CheckFaults()
    {
        if (_w.Faults.Count == 0)
        {
            return;
        }

        if (_w.Faults.Count > FaultSpec.MaxFaults)
        {
            Error(FaultsPath, $"has {_w.Faults.Count} faults; a run takes at most {FaultSpec.MaxFaults}.");
        }

        CheckFaultRunShape();
        var duration = _w.Load.Duration;
        var docs = _doc.List("faults");
        TimeSpan? previousEnd = null;
        for (var i = 0; i < _w.Faults.Count; i++)
        {
            var path = FaultsPath.Index(i);
            var doc = _doc.Sub(docs[i].Node, path);
            if (!doc.Exists || _sink.HasStructuralAt(path) || _sink.HasStructuralAt(path.Key("kind")) || _sink.HasStructuralAt(path.Key("at")))
            {
                previousEnd = null;
                continue;
            }

            var fault = _w.Faults[i];
            CheckFaultTiming(path, fault, duration, previousEnd, i);
            CheckFaultFields(path, doc, fault);
            CheckFaultTarget(path, fault);
            previousEnd = fault.At + (fault.For ?? TimeSpan.Zero);
        }
    }

    private void CheckFaultRunShape()
    {
        if (_w.Sweep is not null)
        {
            Error(FaultsPath, "cannot be combined with a sweep: a fault run measures one setting under one set of faults.");
        }

        if (_w.Capacity is not null)
        {
            Error(FaultsPath, "cannot be combined with a capacity search.");
        }

        if (_w.Compare.Repeat > 1)
        {
            Error(ComparePath.Key("repeat"), "a fault run measures one round (the faults happen once); remove compare.repeat.");
        }

        if (_w.Compare.Against is not null)
        {
            Error(ComparePath.Key("against"), "cannot be combined with faults: the paired rounds would be measured under different faults.");
        }
    }

    private void CheckFaultTiming(DocPath path, FaultSpec fault, TimeSpan duration, TimeSpan? previousEnd, int index)
    {
        if (fault.At < TimeSpan.FromSeconds(MinPreFaultSeconds))
        {
            Error(path.Key("at"), $"{DurationText.Format(fault.At)} leaves no time to measure the pre-fault band; a fault starts at least {MinPreFaultSeconds}s into the measured phase.");
        }
        else if (duration > TimeSpan.Zero && fault.At >= duration)
        {
            Error(path.Key("at"), $"{DurationText.Format(fault.At)} is not inside the measured phase (load.duration {DurationText.Format(duration)}).");
        }
        else if (previousEnd is { } end && fault.At < end)
        {
            Error(path.Key("at"), $"{DurationText.Format(fault.At)} is before faults[{index - 1}] ends ({DurationText.Format(end)}); faults run one at a time, in order of 'at'.");
        }

        if (fault.For is { } length && duration > TimeSpan.Zero && fault.At < duration && fault.At + length >= duration)
        {
            Error(path.Key("for"), $"{DurationText.Format(length)} from {DurationText.Format(fault.At)} reaches the end of the measured phase ({DurationText.Format(duration)}); leave time after the fault to see the recovery.");
        }
    }

    private void CheckFaultFields(DocPath path, MapReader doc, FaultSpec fault)
    {
        string[] allowed = fault.Kind switch
        {
            FaultKind.Restart => [],
            FaultKind.Stall => ["for", "ms"],
            FaultKind.Fail => ["for", "rate"],
            _ => ["for", "name", "value"],
        };

        foreach (var field in new[] { "for", "ms", "rate", "name", "value" })
        {
            if (doc.Has(field) && !allowed.Contains(field))
            {
                Error(path.Key(field), $"does not apply to a {fault.KindName} fault (it takes {(allowed.Length == 0 ? "only at" : "at, " + string.Join(", ", allowed))}).");
            }
            else if (!doc.Has(field) && allowed.Contains(field))
            {
                Error(path.Key(field), $"is required for a {fault.KindName} fault.");
            }
        }

        if (fault.For is { } length && (length <= TimeSpan.Zero || length > FaultSpec.MaxFor))
        {
            Error(path.Key("for"), $"{DurationText.Format(length)} is outside (0s, {DurationText.Format(FaultSpec.MaxFor)}].");
        }

        if (fault.Ms is { } ms && (ms < 1 || ms > FaultSpec.MaxStallMs))
        {
            Error(path.Key("ms"), $"{ms} is outside 1..{FaultSpec.MaxStallMs} (milliseconds of extra wait per request).");
        }

        if (fault.Rate is { } rate && !(rate > 0 && rate <= 1) && !_sink.HasStructuralAt(path.Key("rate")))
        {
            Error(path.Key("rate"), $"{(rate * 100).ToString("0.###", CultureInfo.InvariantCulture)}% is outside (0%, 100%].");
        }

        if (fault.Name is { } name && ReservedAppSettings.IsReserved(name))
        {
            Error(path.Key("name"), $"'{name}' may not be changed by a fault: {ReservedAppSettings.Rule}.");
        }
    }

    private void CheckFaultTarget(DocPath path, FaultSpec fault)
    {
        var target = _w.Target;
        switch (fault.Kind)
        {
            case FaultKind.Restart when target.Process is null && target.Azure is null:
                Error(path.Key("kind"), "restart needs a target it can restart: target.process (a local process) or target.azure (an ARM restart).");
                break;
            case FaultKind.AppSetting when target.Azure is null:
                Error(path.Key("kind"), "appSetting changes an Azure app setting, so it needs target.azure.resourceId.");
                break;
        }
    }
}
