using Yardstick.Core.Summaries;
namespace Yardstick.Reports;

/// <summary>Maps the <c>coldStart</c> section of a run summary to its report view.</summary>
public sealed partial record ColdStartView
{
    /// <summary>The view of <paramref name="summary"/>'s cold-start section, or null when the run had no probes.</summary>
    public static ColdStartView? From(RunSummary summary)
    {
        if (summary.ColdStart is not { } cold)
        {
            return null;
        }

        return new ColdStartView
        {
            Strategy = cold.Strategy,
            ColdProbes = cold.Cold,
            WarmProbes = cold.Warm,
            UnknownProbes = cold.Unknown,
            ColdP50Ms = cold.ColdP50Ms,
            ColdP90Ms = cold.ColdP90Ms,
            ColdMaxMs = cold.ColdMaxMs,
            WarmP50Ms = cold.WarmP50Ms,
            PenaltyMs = cold.PenaltyMs,
            Curve = cold.Curve ?? [],
            Probes = cold.Probes.Select(p => new ColdStartProbeView
            {
                Probe = p.Index + 1,
                Classification = p.Classification,
                // The probe's cold figure: time from forcing to first success where measured, else the request's total.
                FirstRequestMs = p.TimeToFirstSuccessMs ?? p.TotalMs,
                WarmP50Ms = Median(p.WarmMs),
                InstanceId = p.InstanceId,
                Note = p.Note,
            }).ToList(),
        };
    }

    private static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>Maps the <c>cost</c> section of a run summary to its report view.</summary>
public sealed partial record CostView
{
    /// <summary>The view of <paramref name="summary"/>'s cost section, or null when the run has none.</summary>
    public static CostView? From(RunSummary summary)
    {
        if (summary.Cost is not { } cost)
        {
            return null;
        }

        var unconfirmed = (cost.Modeled?.Lines ?? []).Concat(cost.Metered?.Lines ?? []).Any(l => l.Unconfirmed);
        var metered = cost.Metered is null ? cost.Notes.FirstOrDefault(n => n.StartsWith("metered unavailable", StringComparison.Ordinal)) : null;
        var server = cost.Server is null ? cost.Notes.FirstOrDefault(n => n.StartsWith("server durations unavailable", StringComparison.Ordinal)) : null;
        var notes = new List<string>();
        // A paired run's cost is the candidate's alone (PairedCostScope): say so first, it changes how to read the figure.
        if (cost.Notes.FirstOrDefault(n => n.StartsWith(Core.Cost.PairedCostScope.NotePrefix, StringComparison.Ordinal)) is { } paired)
        {
            notes.Add(paired);
        }

        if (unconfirmed)
        {
            notes.Add("some prices are UNCONFIRMED (see summary.json notes)");
        }

        if (metered is not null)
        {
            notes.Add(metered);
        }

        if (server is not null)
        {
            notes.Add(server);
        }

        if (cost.BenchmarkCostUsd is { } bench)
        {
            notes.Add($"the benchmark itself cost about {bench:0.######} USD (not included)");
        }

        return new CostView
        {
            Plan = cost.Plan,
            Region = cost.Region,
            Modeled = Figure(cost.Modeled),
            Metered = Figure(cost.Metered),
            ServerModeled = Figure(cost.ServerModeled),
            Server = cost.Server,
            PricingSource = "pricing catalog (workloads/pricing/azure-functions.json or cost.pricingFile); headline: " + cost.Source,
            Note = notes.Count == 0 ? null : string.Join("; ", notes),
        };
    }

    private static CostFigure? Figure(CostFigures? figures) => figures is null
        ? null
        : new CostFigure
        {
            PerRequest = figures.PerRequestUsd,
            CiLow = figures.PerRequestCiLowUsd,
            CiHigh = figures.PerRequestCiHighUsd,
            ConfidenceLevel = figures.PerRequestCiLowUsd is null ? null : 0.95,
            Total = figures.TotalUsd,
        };
}
