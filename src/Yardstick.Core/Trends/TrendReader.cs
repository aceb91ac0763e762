using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Statistics.ChangePoints;

namespace Yardstick.Core.Trends;

/// <summary>
/// Reads a workload's trend from the stores and finds its change points: the one implementation behind
/// <c>yardstick trend</c> and <c>GET /api/workloads/{name}/trend</c>.
/// </summary>
/// <remarks>
/// <para><b>Reads.</b> Runs: <see cref="IRunStore.ListWindowAsync"/> — the workload's partition, the row-key range of the
/// window (see <c>TableRunStore.ListWindowAsync</c>), at most <see cref="RunWindow.DefaultMaxRuns"/> rows. Baselines:
/// <see cref="IBaselineStore.ListCurrentAsync"/> (the partition range <c>{workload}|…</c>, row <c>current</c> only), then
/// <see cref="IBaselineStore.HistoryAsync"/> per baseline key found (one partition, the <c>h_…</c> row range, newest
/// <see cref="PromotionDepth"/> rows). Nothing else: verdict rows are not read; each run's overall verdict is on its Runs row.</para>
/// <para><b>Change points.</b> Each series (settings key × metric, completed and degraded runs, oldest first) goes through
/// <see cref="EDivisiveMeans"/> with the default options; series longer than <see cref="MaxDetectionPoints"/> are tested
/// on their newest points only (detection is O(n²) per permutation; 500 nights is well over a year).</para>
/// </remarks>
public sealed class TrendReader(IRunStore runs, IBaselineStore baselines, TimeProvider time)
{
    /// <summary>Most points of a series change-point detection examines (the newest).</summary>
    public const int MaxDetectionPoints = 500;

    /// <summary>Promotions read per baseline key.</summary>
    public const int PromotionDepth = 100;

    /// <summary>Reads and builds the trend of <paramref name="request"/>.</summary>
    public async Task<TrendReport> ReadAsync(TrendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = time.GetUtcNow();
        var from = to.AddDays(-request.Days);
        var window = new RunWindow(request.Workload, from, to, request.SettingsHash);
        var rows = await runs.ListWindowAsync(window, cancellationToken);
        var promotions = new List<TrendPromotion>();
        foreach (var current in await baselines.ListCurrentAsync(request.Workload, cancellationToken))
        {
            foreach (var b in await baselines.HistoryAsync(current.Key, PromotionDepth, cancellationToken))
            {
                if (b.PromotedAt >= from && b.PromotedAt <= to)
                {
                    promotions.Add(new TrendPromotion(b.Key.SettingsKey, string.IsNullOrEmpty(b.Key.Environment) ? null : b.Key.Environment, b.RunIds, b.Mode, b.PromotedAt, b.PromotedBy, b.Reason));
                }
            }
        }

        return Build(request, from, to, rows, promotions, truncated: rows.Count >= window.MaxRuns);
    }

    /// <summary>Builds a trend from runs already read (any order) and the promotions in the window; pure.</summary>
    public static TrendReport Build(TrendRequest request, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RunRecord> rows, IReadOnlyList<TrendPromotion> promotions, bool truncated = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rows);
        var ordered = rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
        var series = new List<TrendSeries>();
        var changes = new List<TrendRun>();
        foreach (var group in ordered.GroupBy(r => r.SettingsKey, StringComparer.Ordinal).OrderBy(g => g.Key == "default" ? "" : g.Key, StringComparer.Ordinal))
        {
            RunRecord? previous = null;
            foreach (var run in group)
            {
                if (previous is not null && (previous.SettingsHash != run.SettingsHash || previous.WorkloadVersion != run.WorkloadVersion
                        || (previous.WorkloadHash.Length > 0 && run.WorkloadHash.Length > 0 && previous.WorkloadHash != run.WorkloadHash)))
                {
                    changes.Add(ToRun(run));
                }

                previous = run;
            }

            var measured = group.Where(r => r.Status is RunStatus.Completed or RunStatus.Degraded).ToList();
            foreach (var metric in request.Metrics)
            {
                var points = measured
                    .Select(r => (Run: r, Value: metric.Read(r)))
                    .Where(p => p.Value is { } v && double.IsFinite(v))
                    .Select(p => new TrendPoint(p.Run.RunId, p.Run.CreatedAt, p.Value!.Value))
                    .ToList();
                series.Add(Series(metric, group.Key, points));
            }
        }

        return new TrendReport
        {
            Workload = request.Workload,
            From = from,
            To = to,
            Days = request.Days,
            SettingsHash = request.SettingsHash,
            RunsRead = rows.Count,
            Truncated = truncated,
            Runs = ordered.Select(ToRun).ToList(),
            Series = series,
            Promotions = promotions.OrderBy(p => p.At).ToList(),
            WorkloadChanges = changes.OrderBy(c => c.At).ToList(),
        };
    }

    private static TrendSeries Series(TrendMetric metric, string settingsKey, List<TrendPoint> points)
    {
        var offset = Math.Max(0, points.Count - MaxDetectionPoints);
        var values = points.Skip(offset).Select(p => p.Value).ToArray();
        var found = EDivisiveMeans.Detect(values).ChangePoints;
        var detected = found.Select(c => c.Index).ToList();
        var changePoints = found.Select(c =>
        {
            var magnitude = ChangeMagnitude.Of(values, detected, c.Index);
            var point = points[offset + c.Index];
            return new TrendChangePoint(point.RunId, point.At, offset + c.Index, magnitude.BeforeMedian, magnitude.AfterMedian, magnitude.Change,
                magnitude.CiLow, magnitude.CiHigh, magnitude.Relative, c.PValue, magnitude.PointsBefore, magnitude.PointsAfter);
        }).ToList();
        var direction = changePoints.Count == 0 ? TrendDirections.Flat
            : changePoints[^1].After > changePoints[^1].Before ? TrendDirections.Up
            : changePoints[^1].After < changePoints[^1].Before ? TrendDirections.Down
            : TrendDirections.Flat;
        var assessment = direction == TrendDirections.Flat ? TrendDirections.Unchanged
            : (direction == TrendDirections.Up) == metric.HigherIsBetter ? TrendDirections.Better : TrendDirections.Worse;
        return new TrendSeries
        {
            Metric = metric.Name,
            Unit = metric.Unit,
            HigherIsBetter = metric.HigherIsBetter,
            SettingsKey = settingsKey,
            Points = points,
            ChangePoints = changePoints,
            DetectedFrom = offset,
            Direction = direction,
            Assessment = assessment,
            Latest = points.Count == 0 ? null : points[^1].Value,
        };
    }

    private static TrendRun ToRun(RunRecord r) =>
        new(r.RunId, r.CreatedAt, r.Status.ToString().ToLowerInvariant(), r.Verdict, r.SettingsKey, r.SettingsHash, r.WorkloadVersion, r.Drift);
}
