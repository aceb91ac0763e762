using System.Globalization;
using System.Text;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Slos;

/// <summary>
/// A suggestion as workload YAML: a <c>thresholds:</c> block and an <c>slo:</c> block, ready to paste into the workload
/// file, headed by comments that say where the figures come from.
/// </summary>
public static class SloSuggestionText
{
    public static string Yaml(SloSuggestion suggestion)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Suggested by 'yardstick slo suggest' from {suggestion.RunIds.Count} accepted runs of {suggestion.Workload}, ")
            .Append(CultureInfo.InvariantCulture, $"{suggestion.From:yyyy-MM-dd HH:mm} to {suggestion.To:yyyy-MM-dd HH:mm} UTC.\n");
        foreach (var note in suggestion.Notes)
        {
            foreach (var line in Wrap(note, 110))
            {
                text.Append("# ").Append(line).Append('\n');
            }
        }

        text.Append("thresholds:\n");
        foreach (var threshold in suggestion.Thresholds)
        {
            text.Append("  - \"").Append(threshold).Append("\"\n");
        }

        text.Append(SloBlock(suggestion.Slo));
        return text.ToString();
    }

    /// <summary>An <c>slo:</c> block in workload YAML.</summary>
    public static string SloBlock(SloSpec slo)
    {
        var text = new StringBuilder("slo:\n");
        text.Append("  window: ").Append(Window(slo.Window)).Append('\n');
        if (slo.Availability is { } availability)
        {
            text.Append("  availability: ").Append(SloSuggester.Percent(availability)).Append('\n');
        }

        if (slo.Latency.Count > 0)
        {
            text.Append("  latency:\n");
            foreach (var objective in slo.Latency)
            {
                text.Append("    - { threshold: ").Append(SloSuggester.DurationMs(objective.Threshold.TotalMilliseconds))
                    .Append(", target: ").Append(SloSuggester.Percent(objective.Target)).Append(" }\n");
            }
        }

        return text.ToString();
    }

    private static string Window(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0 ? ((int)window.TotalDays).ToString(CultureInfo.InvariantCulture) + "d" : DurationText.Format(window);

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
