using System.Globalization;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal static partial class WorkloadMapper
{
    private static AlertsSpec? MapAlerts(MapReader a)
    {
        if (!a.Exists)
        {
            return null;
        }

        var on = new List<AlertCondition>();
        foreach (var (node, _) in a.List("on"))
        {
            // The schema names an unknown condition; here only the known ones are kept.
            on.AddRange(Enum.GetValues<AlertCondition>().Where(c => node is DocScalar { Kind: ScalarKind.String } s && MapReader.CamelCase(c.ToString()) == s.Text));
        }

        var send = new List<AlertChannelSpec>();
        foreach (var (node, path) in a.List("send"))
        {
            // Unreadable entries stay so channel keys (type-index) keep matching the file.
            var c = a.Sub(node, path);
            send.Add(new AlertChannelSpec
            {
                Type = c.Enum<AlertChannelType>("type") ?? AlertChannelType.Webhook,
                Url = c.String("url"),
                Repo = c.String("repo"),
                Token = c.String("token"),
            });
        }

        var silence = new List<SilenceWindow>();
        foreach (var (node, path) in a.List("silence"))
        {
            var w = a.Sub(node, path);
            silence.Add(new SilenceWindow(Instant(w.String("from")) ?? DateTimeOffset.MinValue, Instant(w.String("to")) ?? DateTimeOffset.MinValue, w.String("reason") ?? ""));
        }

        return new AlertsSpec
        {
            On = a.Has("on") ? on.Distinct().ToList() : AlertsSpec.AllConditions,
            Send = send,
            Silence = silence,
        };
    }

    /// <summary>An ISO 8601 instant with an offset or <c>Z</c> (<c>2026-12-06T22:00:00Z</c>); null when it is not one.</summary>
    internal static DateTimeOffset? Instant(string? text) =>
        text is not null && text.Contains('T', StringComparison.Ordinal)
            && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
}
