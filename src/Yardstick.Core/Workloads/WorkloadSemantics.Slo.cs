using System.Globalization;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath SloPath = DocPath.Root.Key("slo");

    /// <summary><c>slo</c>: at least one objective, targets in (0, 1), thresholds and window positive.</summary>
    private void CheckSlo()
    {
        if (_w.Slo is not { } slo)
        {
            return;
        }

        if (slo.Availability is null && slo.Latency.Count == 0)
        {
            Error(SloPath, "names no objective; give availability (for example 99.9%) and/or latency: [{ threshold: 300ms, target: 99% }].");
        }

        if (_doc.Map("slo").Has("window") && (slo.Window < TimeSpan.FromHours(1) || slo.Window > TimeSpan.FromDays(366)))
        {
            Error(SloPath.Key("window"), $"{slo.Window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days is outside 1 hour .. 366 days.");
        }

        if (slo.Availability is { } availability)
        {
            CheckTarget(SloPath.Key("availability"), availability);
        }

        for (var i = 0; i < slo.Latency.Count; i++)
        {
            var path = SloPath.Key("latency").Index(i);
            if (_sink.HasStructuralAt(path))
            {
                continue;
            }

            if (slo.Latency[i].Threshold <= TimeSpan.Zero)
            {
                Error(path.Key("threshold"), "must be positive.");
            }

            CheckTarget(path.Key("target"), slo.Latency[i].Target);
        }
    }

    private void CheckTarget(DocPath path, double target)
    {
        if (_sink.HasStructuralAt(path))
        {
            return;
        }

        if (!(target is > 0 and < 1))
        {
            Error(path, $"{(target * 100).ToString("0.#####", CultureInfo.InvariantCulture)}% is outside (0%, 100%): an objective of 100% leaves no error budget; write for example 99.9%.");
        }
    }
}
