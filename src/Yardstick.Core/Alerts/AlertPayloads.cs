using System.Text;
using System.Text.Json.Nodes;

namespace Yardstick.Core.Alerts;

/// <summary>
/// The bodies each channel expects, built from one <see cref="AlertMessage"/>:
/// <list type="bullet">
/// <item>Slack incoming webhooks: <c>text</c> (the notification fallback) and <c>blocks</c> (a <c>header</c>, a <c>section</c>
/// with mrkdwn text and fields, a <c>context</c> with the links).</item>
/// <item>Teams workflow webhooks ("Post to a channel when a webhook request is received"): a <c>message</c> whose
/// <c>attachments</c> hold one <c>application/vnd.microsoft.card.adaptive</c> card (TextBlocks, a FactSet, Action.OpenUrl).</item>
/// <item>GitHub: an issue (<c>title</c>, <c>body</c> in Markdown, <c>labels</c>) and, on a repeat, a comment (<c>body</c>).</item>
/// <item>Generic webhooks: a flat JSON object (<see cref="Webhook"/>).</item>
/// </list>
/// </summary>
public static class AlertPayloads
{
    /// <summary>Label put on GitHub issues the alerts open.</summary>
    public const string GithubLabel = "yardstick";

    /// <summary>The generic webhook body: <c>event</c> = <c>yardstick.alert</c>, the run, the condition, the numbers and links.</summary>
    public static JsonObject Webhook(AlertMessage m)
    {
        var numbers = new JsonObject();
        foreach (var fact in m.Facts)
        {
            numbers[fact.Name] = fact.Value;
        }

        return new JsonObject
        {
            ["event"] = "yardstick.alert",
            ["condition"] = m.ConditionName,
            ["workload"] = m.Workload,
            ["runId"] = m.RunId,
            ["status"] = m.Status,
            ["verdict"] = m.Verdict,
            ["title"] = m.Title,
            ["sentence"] = m.Sentence,
            ["numbers"] = numbers,
            ["failedThresholds"] = new JsonArray([.. m.FailedThresholds.Select(t => JsonValue.Create(t))]),
            ["reportUrl"] = m.ReportUrl,
            ["artifactsUrl"] = m.ArtifactsUrl,
            ["trendUrl"] = m.TrendUrl,
            ["runUrl"] = m.RunUrl,
        };
    }

    /// <summary>A Slack incoming-webhook message: <c>text</c> plus Block Kit <c>blocks</c>.</summary>
    public static JsonObject Slack(AlertMessage m)
    {
        var fields = new JsonArray();
        foreach (var fact in m.Facts.Take(10)) // a section holds at most 10 fields
        {
            fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(fact.Name)}*\n{Escape(fact.Value)}" });
        }

        var text = new StringBuilder(Escape(m.Sentence));
        foreach (var threshold in m.FailedThresholds)
        {
            text.Append("\n• breached: `").Append(Escape(threshold)).Append('`');
        }

        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Clip(m.Title, 150) } },
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip(text.ToString(), 3000) },
            },
        };
        if (fields.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = Clip(Links(m, slack: true), 3000) }),
        });
        return new JsonObject { ["text"] = Clip($"{m.Title}: {m.Sentence}", 3000), ["blocks"] = blocks };
    }

    /// <summary>A Teams workflow-webhook message: one Adaptive Card (version 1.4) as an attachment.</summary>
    public static JsonObject Teams(AlertMessage m)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = m.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = m.Sentence, ["wrap"] = true },
        };
        var facts = new JsonArray();
        foreach (var fact in m.Facts)
        {
            facts.Add(new JsonObject { ["title"] = fact.Name, ["value"] = fact.Value });
        }

        foreach (var threshold in m.FailedThresholds)
        {
            facts.Add(new JsonObject { ["title"] = "breached", ["value"] = threshold });
        }

        if (facts.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }

        var actions = new JsonArray();
        if (m.RunUrl is { } run)
        {
            actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open run", ["url"] = run });
        }

        if (m.TrendUrl is { } trend)
        {
            actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open trend", ["url"] = trend });
        }

        if (AlertMessage.IsLink(m.ReportUrl))
        {
            actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open report", ["url"] = m.ReportUrl });
        }
        else if (m.ArtifactsUrl is not null)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Artifacts: " + m.ArtifactsUrl, ["wrap"] = true, ["isSubtle"] = true });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (actions.Count > 0)
        {
            card["actions"] = actions;
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    /// <summary>The body of <c>POST /repos/{owner}/{repo}/issues</c>.</summary>
    public static JsonObject GithubIssue(AlertMessage m) => new()
    {
        ["title"] = $"Yardstick: {m.Workload} — {m.ConditionName}",
        ["body"] = Markdown(m),
        ["labels"] = new JsonArray(GithubLabel),
    };

    /// <summary>The body of <c>POST /repos/{owner}/{repo}/issues/{number}/comments</c> when the condition fires again.</summary>
    public static JsonObject GithubComment(AlertMessage m) => new() { ["body"] = Markdown(m) };

    /// <summary>The Markdown an issue or comment carries: title line, sentence, a table of the numbers, the links.</summary>
    public static string Markdown(AlertMessage m)
    {
        var s = new StringBuilder();
        s.Append("**").Append(m.Title).Append("**\n\n").Append(m.Sentence).Append("\n\n");
        if (m.Facts.Count > 0)
        {
            s.Append("| metric | value |\n|---|---|\n");
            foreach (var fact in m.Facts)
            {
                s.Append("| ").Append(fact.Name).Append(" | ").Append(fact.Value).Append(" |\n");
            }

            s.Append('\n');
        }

        foreach (var threshold in m.FailedThresholds)
        {
            s.Append("- breached: `").Append(threshold).Append("`\n");
        }

        s.Append('\n').Append(Links(m, slack: false)).Append('\n');
        return s.ToString();
    }

    private static string Links(AlertMessage m, bool slack)
    {
        var parts = new List<string>();
        if (m.RunUrl is { } run)
        {
            parts.Add(slack ? $"<{run}|Run>" : $"[Run]({run})");
        }

        if (m.TrendUrl is { } trend)
        {
            parts.Add(slack ? $"<{trend}|Trend>" : $"[Trend]({trend})");
        }

        if (m.ReportUrl is { } report)
        {
            parts.Add(AlertMessage.IsLink(report) ? (slack ? $"<{report}|Report>" : $"[Report]({report})") : "Report: " + report);
        }

        if (m.ArtifactsUrl is { } artifacts)
        {
            parts.Add(AlertMessage.IsLink(artifacts) ? (slack ? $"<{artifacts}|Artifacts>" : $"[Artifacts]({artifacts})") : "Artifacts: " + artifacts);
        }

        parts.Add($"run `{m.RunId}`");
        return string.Join(" · ", parts);
    }

    // Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping).
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
