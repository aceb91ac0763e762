namespace Yardstick.Core.Schedules;

/// <summary>
/// A workload's <c>schedule:</c> — <c>nightly</c>, <c>weekly</c>, <c>hourly</c> or a six-field NCRONTAB expression
/// (UTC) — and which of its occurrences is due at a timer tick. Keywords stand for fixed expressions:
/// <c>hourly</c> = <c>0 0 * * * *</c>, <c>weekly</c> = <c>0 0 2 * * Mon</c>, and <c>nightly</c> = the deployment's nightly
/// time (<c>YARDSTICK_NIGHTLY_SCHEDULE</c>, default <c>0 0 2 * * *</c> = 02:00 UTC).
/// </summary>
public sealed record WorkloadSchedule
{
    public const string Nightly = "nightly";
    public const string Weekly = "weekly";
    public const string Hourly = "hourly";

    /// <summary>The kind of a schedule written as an NCRONTAB expression.</summary>
    public const string Cron = "cron";

    public const string DefaultNightlyExpression = "0 0 2 * * *";
    public const string WeeklyExpression = "0 0 2 * * Mon";
    public const string HourlyExpression = "0 0 * * * *";

    /// <summary>
    /// Benchmark runs closer together than this would overlap their own previous run (and load the target most of the
    /// time), so expressions that fire more often are refused.
    /// </summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How stale a due time may be and still start: a timer that was down (a missed tick, a host restart) catches up
    /// with the latest occurrence it missed within this window, never with older ones.
    /// </summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromHours(6);

    /// <summary>How far back the first tick that sees a workload looks (a newly deployed workload does not start a stale occurrence).</summary>
    public static readonly TimeSpan FirstLookBack = TimeSpan.FromMinutes(5);

    /// <summary>Span checked for <see cref="MinimumInterval"/>: a little over a year covers every month and weekday.</summary>
    private static readonly TimeSpan GapCheckSpan = TimeSpan.FromDays(400);

    /// <summary>A fixed start for the checks, so validation does not depend on today's date.</summary>
    private static readonly DateTimeOffset CheckFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private WorkloadSchedule(string text, string kind, CronExpression expression)
    {
        Text = text;
        Kind = kind;
        Expression = expression;
    }

    /// <summary>The schedule as written in the workload.</summary>
    public string Text { get; }

    /// <summary><see cref="Nightly"/>, <see cref="Weekly"/>, <see cref="Hourly"/> or <see cref="Cron"/>.</summary>
    public string Kind { get; }

    /// <summary>The expression the schedule fires on.</summary>
    public CronExpression Expression { get; }

    /// <summary>Value of the run's <c>trigger</c> tag: the keyword, or <c>schedule</c> for an expression.</summary>
    public string Trigger => Kind == Cron ? "schedule" : Kind;

    /// <summary>Parses a schedule; throws <see cref="InputException"/> naming <paramref name="field"/> when it is not valid.</summary>
    /// <param name="text">The workload's <c>schedule:</c>.</param>
    /// <param name="nightlyExpression">What <c>nightly</c> stands for (the deployment's setting); default 02:00 UTC.</param>
    /// <param name="field">Field named in errors.</param>
    public static WorkloadSchedule Parse(string text, string? nightlyExpression = null, string field = "schedule") =>
        TryParse(text, nightlyExpression, out var schedule, out var error) ? schedule! : throw new InputException(field, error!);

    /// <summary>Parses and checks a schedule: the expression is valid, fires at all, and never twice within <see cref="MinimumInterval"/>.</summary>
    public static bool TryParse(string? text, string? nightlyExpression, out WorkloadSchedule? schedule, out string? error)
    {
        schedule = null;
        var trimmed = (text ?? "").Trim();
        var (kind, expressionText) = trimmed.ToLowerInvariant() switch
        {
            Nightly => (Nightly, string.IsNullOrWhiteSpace(nightlyExpression) ? DefaultNightlyExpression : nightlyExpression),
            Weekly => (Weekly, WeeklyExpression),
            Hourly => (Hourly, HourlyExpression),
            _ => (Cron, trimmed),
        };

        if (kind == Cron && trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length == 1)
        {
            error = $"'{trimmed}' is not a schedule; write nightly, weekly, hourly or a six-field NCRONTAB expression (second minute hour day month day-of-week, UTC; for example '0 30 2 * * *').";
            return false;
        }

        if (!CronExpression.TryParse(expressionText, out var expression, out error))
        {
            error = kind == Cron ? error : $"'{trimmed}' stands for '{expressionText}' on this deployment, which is not valid: {error}";
            return false;
        }

        if (expression!.Next(CheckFrom) is null)
        {
            error = $"'{expression.Text}' never fires (no date matches its day, month and day-of-week).";
            return false;
        }

        if (expression.ShortestGap(CheckFrom, GapCheckSpan, MinimumInterval) is { } gap && gap < MinimumInterval)
        {
            error = $"'{expression.Text}' fires {Describe(gap)} apart; scheduled benchmark runs must be at least {MinimumInterval.TotalMinutes:0} minutes apart (hourly is the most frequent keyword).";
            return false;
        }

        schedule = new WorkloadSchedule(trimmed, kind, expression);
        return true;
    }

    /// <summary>
    /// The occurrence due at a tick at <paramref name="now"/>: the latest one after <paramref name="lastChecked"/> (the
    /// previous tick that handled this workload; null for the first) and at most <see cref="MaxCatchUp"/> old. Null
    /// when nothing fell due since. Older missed occurrences are superseded by the latest, so a timer that was down
    /// never starts a backlog of runs against the target.
    /// </summary>
    public DateTimeOffset? DueAt(DateTimeOffset? lastChecked, DateTimeOffset now)
    {
        var floor = now - MaxCatchUp;
        var after = lastChecked ?? now - FirstLookBack;
        return Expression.Latest(after < floor ? floor : after, now);
    }

    private static string Describe(TimeSpan gap) =>
        gap < TimeSpan.FromMinutes(1) ? $"{gap.TotalSeconds:0} s" : $"{gap.TotalMinutes:0.#} min";
}
