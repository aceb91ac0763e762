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
    public bool Covers(DateTimeOffset at) => at >= From && at < To;
}
