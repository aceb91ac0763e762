using Yardstick.Core;

namespace Yardstick.Functions.Api;

/// <summary>The request body is larger than the API accepts (413).</summary>
public sealed class BodyTooLargeException(long limitBytes)
    : InputException("body", $"is larger than the limit of {limitBytes} bytes; send a shorter workload or deploy it and start it by name.")
{
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>The request's Content-Type is not one the API reads (415).</summary>
public sealed class UnsupportedMediaTypeException(string message)
    : InputException("Content-Type", message);

/// <summary>A workload name that no deployed workload file carries (404); lists the names that exist.</summary>
public sealed class UnknownWorkloadException(string name, IReadOnlyList<string> available)
    : InputException("workload", Describe(name, available))
{
    public IReadOnlyList<string> Available { get; } = available;

    private static string Describe(string name, IReadOnlyList<string> available) =>
        $"no deployed workload is named '{ApiText.Clip(name)}'." +
        (available.Count > 0 ? $" Available: {string.Join(", ", available)}." : " The app has no deployed workloads.");
}

/// <summary>The registered workload has no such version (404).</summary>
public sealed class UnknownVersionException(string workload, int version)
    : InputException("version", $"workload '{workload}' has no version {version}; GET /api/workloads/{workload}/versions lists them.");

/// <summary>No run with this id: neither an orchestration in the task hub nor a stored row (404).</summary>
public sealed class RunNotFoundException(string message) : InputException("id", message);

/// <summary>The run exists but has no stored summary, so no report can be served or rendered (404).</summary>
public sealed class ReportNotFoundException(string message) : InputException("id", message);

/// <summary>Small helpers for text that goes back to callers.</summary>
internal static class ApiText
{
    /// <summary>Caller-supplied names are echoed only clipped and without control characters.</summary>
    public static string Clip(string value, int max = 64)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(max + 1).ToArray());
        return clean.Length > max ? clean[..max] + "…" : clean;
    }
}
