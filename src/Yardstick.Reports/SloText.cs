using System.Globalization;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>How reports write a run's SLO attainment (the <c>slo</c> section of <c>summary.json</c>).</summary>
public static class SloText
{
    /// <summary>A share as a percentage with enough digits for nines (<c>99.95 %</c>).</summary>
    public static string Share(double? share) => share is { } s ? (s * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>A burn rate (<c>0.5×</c>).</summary>
    public static string Burn(double? burn) => burn is { } b && double.IsFinite(b) ? b.ToString("0.##", CultureInfo.InvariantCulture) + "×" : "n/a";

    /// <summary>One objective in one line: <c>availability 99.95 % (objective 99.9 %, burn 0.5×) met</c>.</summary>
    public static string Line(SloObjectiveResult objective) =>
        $"{objective.Objective} {Share(objective.Attainment)} (objective {Share(objective.Target)}, burn {Burn(objective.BurnRate)}) {(objective.Met ? "met" : "missed")}";

    /// <summary>The window in days (<c>30 d</c>).</summary>
    public static string Window(SloSummary slo) => slo.WindowDays.ToString("0.##", CultureInfo.InvariantCulture) + " d";
}
