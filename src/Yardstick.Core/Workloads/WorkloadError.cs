using System.Globalization;
using System.Text;

namespace Yardstick.Core.Workloads;

/// <summary>
/// One problem found while loading a workload.
/// </summary>
/// <param name="Source">The file (or source name, or <c>--set path</c> for an override) the value came from.</param>
/// <param name="Path">Field path such as <c>load.stages[2].target</c>; empty for problems with the document as a whole.</param>
/// <param name="Line">1-based line in the file, when known.</param>
/// <param name="Column">1-based column in the file, when known.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it. Never contains a secret value.</param>
public sealed record WorkloadError(string Source, string Path, int? Line, int? Column, string Message)
{
    /// <summary><c>file:line:col: load.stages[2].target: message</c> (parts that are unknown are left out).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Source);
        if (Line is { } line)
        {
            sb.Append(':').Append(line.ToString(CultureInfo.InvariantCulture));
            if (Column is { } column)
            {
                sb.Append(':').Append(column.ToString(CultureInfo.InvariantCulture));
            }
        }

        sb.Append(": ");
        if (Path.Length > 0)
        {
            sb.Append(Path).Append(": ");
        }

        return sb.Append(Message).ToString();
    }
}

/// <summary>
/// A workload failed to load. Carries every problem found (syntax, schema, semantic), each with its position,
/// so one edit cycle fixes them all. The CLI prints <see cref="InputException.Describe"/> and exits with 2.
/// </summary>
public sealed class WorkloadValidationException : InputException
{
    public WorkloadValidationException(string source, IReadOnlyList<WorkloadError> errors)
        : base(errors.Count > 0 ? errors[0].Path : "", Format(source, errors), source)
    {
        Errors = errors;
    }

    /// <summary>All problems, in file order (overrides last).</summary>
    public IReadOnlyList<WorkloadError> Errors { get; }

    /// <summary>One line per error, each naming file, position, path and problem.</summary>
    public override string Describe() => Message;

    private static string Format(string source, IReadOnlyList<WorkloadError> errors) =>
        errors.Count switch
        {
            0 => $"{source}: the workload is not valid.",
            1 => errors[0].ToString(),
            _ => string.Join('\n', errors.Select(e => e.ToString())),
        };
}
