namespace Yardstick.Core;

/// <summary>
/// Bad input from a user: a workload file, a CLI option, an API body or a configuration key.
/// The CLI turns it into one clear line and exit code 2; the HTTP API into a problem+json 400.
/// </summary>
public class InputException : Exception
{
    public InputException(string field, string message, string? source = null)
        : base(message)
    {
        Field = field;
        Source = source;
    }

    /// <summary>The path of the offending field or configuration key (for example <c>load.stages[2].target</c>).</summary>
    public string Field { get; }

    /// <summary>The file, option or API the value came from, when known.</summary>
    public new string? Source { get; }

    /// <summary>One line naming where the problem is and what it is.</summary>
    public virtual string Describe() =>
        Source is null ? $"{Field}: {Message}" : $"{Source}: {Field}: {Message}";
}
