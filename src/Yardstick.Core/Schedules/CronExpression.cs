using System.Globalization;

namespace Yardstick.Core.Schedules;

/// <summary>
/// A six-field NCRONTAB expression, as the Azure Functions timer trigger writes them (AZURE-FACTS §8):
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, always UTC. Each field is <c>*</c>, a value, a range
/// <c>a-b</c>, a list <c>a,b,c</c> or a step <c>*/n</c> / <c>a-b/n</c> / <c>a/n</c>; months may be named (<c>Jan</c>),
/// days of the week too (<c>Mon</c>; 0 and 7 are Sunday). Day of month and day of week must both match (as NCrontab does).
/// </summary>
public sealed class CronExpression
{
    private static readonly string[] FieldNames = ["second", "minute", "hour", "day", "month", "day-of-week"];
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>How far ahead occurrences are searched (an expression such as Feb 29 fires once in four years).</summary>
    private static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(366 * 8);

    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly int[] _hourList;
    private readonly int[] _minuteList;
    private readonly int[] _secondList;

    private CronExpression(string text, bool[][] fields)
    {
        Text = text;
        (_seconds, _minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
        _hourList = Indices(_hours);
        _minuteList = Indices(_minutes);
        _secondList = Indices(_seconds);
    }

    /// <summary>The expression as written (whitespace normalised).</summary>
    public string Text { get; }

    /// <summary>Parses an expression; throws <see cref="InputException"/> naming <paramref name="field"/> when it is not valid.</summary>
    public static CronExpression Parse(string text, string field = "schedule") =>
        TryParse(text, out var expression, out var error) ? expression! : throw new InputException(field, error!);

    /// <summary>Parses an expression; on failure returns false with a message saying what is wrong.</summary>
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        expression = null;
        error = null;
        var parts = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            error = $"'{text}' has {parts.Length} field(s); an NCRONTAB expression has six: second minute hour day month day-of-week (for example '0 30 2 * * *' = 02:30 UTC daily).";
            return false;
        }

        var fields = new bool[6][];
        (int Min, int Max)[] ranges = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
        for (var i = 0; i < 6; i++)
        {
            if (!TryField(parts[i], ranges[i].Min, ranges[i].Max, i == 4 ? Months : i == 5 ? Days : null, i == 4 ? 1 : 0, out var set, out var fieldError))
            {
                error = $"'{string.Join(' ', parts)}': the {FieldNames[i]} field '{parts[i]}' {fieldError}";
                return false;
            }

            fields[i] = set!;
        }

        // 7 is Sunday too.
        if (fields[5][7])
        {
            fields[5][0] = true;
        }

        expression = new CronExpression(string.Join(' ', parts), fields);
        return true;
    }

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="until"/>], oldest first.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset after, DateTimeOffset until)
    {
        var start = after.UtcDateTime;
        var end = until.UtcDateTime;
        for (var day = start.Date; day <= end; day = day.AddDays(1))
        {
            if (!DayMatches(day))
            {
                continue;
            }

            foreach (var hour in _hourList)
            {
                foreach (var minute in _minuteList)
                {
                    // Skip whole minutes outside the range before walking their seconds.
                    var minuteStart = day.AddHours(hour).AddMinutes(minute);
                    if (minuteStart.AddMinutes(1) <= start)
                    {
                        continue;
                    }

                    if (minuteStart > end)
                    {
                        yield break;
                    }

                    foreach (var second in _secondList)
                    {
                        var at = minuteStart.AddSeconds(second);
                        if (at > start && at <= end)
                        {
                            yield return new DateTimeOffset(at, TimeSpan.Zero);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The first occurrence after <paramref name="after"/>, or null when there is none within eight years.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        foreach (var at in Occurrences(after, after + SearchHorizon))
        {
            return at;
        }

        return null;
    }

    /// <summary>The latest occurrence in (<paramref name="after"/>, <paramref name="until"/>], or null.</summary>
    public DateTimeOffset? Latest(DateTimeOffset after, DateTimeOffset until)
    {
        // Walk back one day at a time, so a long window does not enumerate every occurrence from its start.
        for (var day = until.UtcDateTime.Date; day >= after.UtcDateTime.Date; day = day.AddDays(-1))
        {
            var dayStart = new DateTimeOffset(day, TimeSpan.Zero);
            var from = dayStart.AddTicks(-1) > after ? dayStart.AddTicks(-1) : after;
            var to = dayStart.AddDays(1).AddTicks(-1) < until ? dayStart.AddDays(1).AddTicks(-1) : until;
            DateTimeOffset? last = null;
            foreach (var at in Occurrences(from, to))
            {
                last = at;
            }

            if (last is not null)
            {
                return last;
            }
        }

        return null;
    }

    /// <summary>The shortest gap between consecutive occurrences within <paramref name="span"/> after <paramref name="from"/>, stopping early below <paramref name="floor"/>.</summary>
    public TimeSpan? ShortestGap(DateTimeOffset from, TimeSpan span, TimeSpan floor)
    {
        DateTimeOffset? previous = null;
        TimeSpan? shortest = null;
        foreach (var at in Occurrences(from, from + span))
        {
            if (previous is { } p && (shortest is null || at - p < shortest))
            {
                shortest = at - p;
                if (shortest < floor)
                {
                    return shortest;
                }
            }

            previous = at;
        }

        return shortest;
    }

    public override string ToString() => Text;

    private bool DayMatches(DateTime day) =>
        _months[day.Month] && _days[day.Day] && _weekdays[(int)day.DayOfWeek];

    private static bool TryField(string text, int min, int max, string[]? names, int nameBase, out bool[]? set, out string? error)
    {
        set = new bool[max + 1];
        error = null;
        foreach (var item in text.Split(','))
        {
            var step = 1;
            var body = item;
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                {
                    error = $"has a step '{item[(slash + 1)..]}' that is not a positive whole number.";
                    return false;
                }

                body = item[..slash];
            }

            int from, to;
            if (body == "*")
            {
                (from, to) = (min, max);
            }
            else
            {
                var dash = body.IndexOf('-', StringComparison.Ordinal);
                if (!TryValue(dash >= 0 ? body[..dash] : body, min, max, names, nameBase, out from, out error))
                {
                    return false;
                }

                if (dash >= 0)
                {
                    if (!TryValue(body[(dash + 1)..], min, max, names, nameBase, out to, out error))
                    {
                        return false;
                    }

                    if (to < from)
                    {
                        error = $"has a range '{body}' whose end comes before its start.";
                        return false;
                    }
                }
                else
                {
                    // "a/n" means from a to the end in steps of n.
                    to = slash >= 0 ? max : from;
                }
            }

            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return true;
    }

    private static bool TryValue(string text, int min, int max, string[]? names, int nameBase, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            if (value < min || value > max)
            {
                error = $"has {value}, outside {min}..{max}.";
                return false;
            }

            return true;
        }

        if (names is not null)
        {
            var index = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + nameBase;
                return true;
            }
        }

        error = names is null
            ? $"has '{text}', which is not a number in {min}..{max}."
            : $"has '{text}', which is neither a number in {min}..{max} nor a name ({string.Join(", ", names.Select(n => n[0] + n[1..].ToLowerInvariant()))}).";
        return false;
    }

    private static int[] Indices(bool[] set) => Enumerable.Range(0, set.Length).Where(i => set[i]).ToArray();
}
