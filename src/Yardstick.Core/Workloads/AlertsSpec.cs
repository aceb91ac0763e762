namespace Yardstick.Core.Workloads;

/// <summary>
/// Who is told when a run goes wrong (<c>alerts:</c>): the conditions in <see cref="On"/> are checked once the verdict is
/// computed, and each condition that holds is sent to every channel in <see cref="Send"/> exactly once per run, unless a
/// <see cref="Silence"/> window covers the time of sending (then the suppression is recorded instead).
/// </summary>
public sealed record AlertsSpec
{
    /// <summary>Every condition, the default of <see cref="On"/>.</summary>
    public static IReadOnlyList<AlertCondition> AllConditions { get; } = [AlertCondition.Regression, AlertCondition.Failed, AlertCondition.Threshold, AlertCondition.Drift];

    public IReadOnlyList<AlertCondition> On { get; init; } = AllConditions;

    public IReadOnlyList<AlertChannelSpec> Send { get; init; } = [];

    public IReadOnlyList<SilenceWindow> Silence { get; init; } = [];
}

/// <summary>When an alert fires.</summary>
public enum AlertCondition
{
    /// <summary>The run's overall verdict is <c>regression</c>.</summary>
    Regression,

    /// <summary>The run failed (not cancelled).</summary>
    Failed,

    /// <summary>At least one of the workload's thresholds was breached.</summary>
    Threshold,

    /// <summary>The run confirmed a drift: a new sustained change point for the worse in a gated metric's history (<c>verdict.drift</c>).</summary>
    Drift,
}

/// <summary>Where an alert goes.</summary>
public enum AlertChannelType
{
    /// <summary>A generic JSON POST (see README → Alerts for the body).</summary>
    Webhook,

    /// <summary>A Slack incoming webhook (<c>text</c> + <c>blocks</c>).</summary>
    Slack,

    /// <summary>A Microsoft Teams workflow webhook (a message with an Adaptive Card attachment).</summary>
    Teams,

    /// <summary>A GitHub issue per workload and condition, commented on when the condition fires again.</summary>
    Github,
}

/// <summary>
/// One destination. <see cref="Url"/> for webhook, Slack and Teams (Slack and Teams URLs are secrets, so they must be
/// <c>${env:NAME}</c> references); <see cref="Repo"/> (<c>owner/name</c>) and <see cref="Token"/> (a reference) for GitHub.
/// </summary>
public sealed record AlertChannelSpec
{
    public AlertChannelType Type { get; init; }

    public string? Url { get; init; }

    public string? Repo { get; init; }

    public string? Token { get; init; }

    /// <summary>Names the channel in logs and stored results (<c>slack-0</c>): its type and position, never its URL.</summary>
    public string Key(int index) => $"{Type.ToString().ToLowerInvariant()}-{index}";
}

/// <summary>A time range (UTC instants) in which alerts are suppressed, with the reason recorded on each suppression.</summary>
public sealed record SilenceWindow(DateTimeOffset From, DateTimeOffset To, string Reason)
{
    /// <summary>Longest window one request (<c>yardstick alerts silence</c>, <c>POST /api/workloads/{name}/silences</c>) may store.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    /// <summary>Most stored windows of one workload that have not ended (each request adds one).</summary>
    public const int MaxStored = 32;

    public bool Covers(DateTimeOffset at) => at >= From && at < To;

    /// <summary>
    /// A window from a request: <paramref name="from"/> an ISO 8601 instant with a zone (default <paramref name="now"/>),
    /// <paramref name="duration"/> from 1 s to 31 days, <paramref name="reason"/> 1–200 characters on one line. Errors
    /// name the caller's field (<c>--for</c> on the CLI, <c>for</c> in the API).
    /// </summary>
    public static SilenceWindow Parse(string? from, string? duration, string? reason, DateTimeOffset now, (string From, string For, string Reason) fields)
    {
        var start = now;
        if (!string.IsNullOrWhiteSpace(from))
        {
            start = Instant(from) ?? throw new InputException(fields.From, $"'{Short(from)}' is not an ISO 8601 instant with a zone; write for example 2026-12-06T22:00:00Z.");
        }

        if (!Load.DurationText.TryParse(duration, out var length) || length <= TimeSpan.Zero || length > MaxLength)
        {
            throw new InputException(fields.For, $"'{Short(duration ?? "")}' is not a duration between 1 s and 31 days; write for example 2h or 90m.");
        }

        var text = reason?.Trim() ?? "";
        if (text.Length is 0 or > 200 || text.Any(char.IsControl))
        {
            throw new InputException(fields.Reason, "must be 1-200 characters on one line: say why alerts are silenced.");
        }

        return new SilenceWindow(start, start + length, text);
    }

    private static DateTimeOffset? Instant(string text) =>
        text.Contains('T', StringComparison.Ordinal) && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : null;

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
