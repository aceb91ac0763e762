namespace Yardstick.Core.Workloads;

/// <summary>
/// One named request of a mix (<c>requests:</c>). Everything not given comes from <c>target</c>: the URL may be a path
/// (<c>/api/items?count=3</c>) on the target's origin, target headers apply unless the request sets the same name, and
/// the HTTP version, transport, instance header and TLS settings are the target's. The body is the request's own.
/// </summary>
public sealed record RequestSpec
{
    /// <summary>Names the request's metrics (<c>checkout.p95</c>): a letter, then letters, digits, '_' or '-'.</summary>
    public required string Name { get; init; }

    /// <summary>HTTP method; GET when not given.</summary>
    public string? Method { get; init; }

    /// <summary>Absolute URL on the target's origin, or a path starting with '/'. Empty: the target URL.</summary>
    public string Url { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    /// <summary>Response checks of this request, after the target's (<see cref="TargetSpec.Checks"/>).</summary>
    public IReadOnlyList<Load.Checks.CheckSpec> Checks { get; init; } = [];

    /// <summary>Relative weight in the mix (default 1).</summary>
    public double Weight { get; init; } = 1;
}

/// <summary>One step of a closed-model journey.</summary>
public sealed record StepSpec
{
    /// <summary>The <see cref="RequestSpec.Name"/> this step sends.</summary>
    public required string Request { get; init; }

    /// <summary>Pause after the step's response; default <c>load.thinkTime</c>.</summary>
    public TimeSpan? ThinkTime { get; init; }
}
