namespace Yardstick.Core.Load;

/// <summary>Which HTTP client implementation generates load.</summary>
public enum TransportKind
{
    /// <summary>The lean HTTP/1.1 engine where it applies (HTTP/1.1, http or https), the handler otherwise.</summary>
    Auto,

    /// <summary>Yardstick's own HTTP/1.1 engine over Socket/SslStream: pre-encoded requests, zero allocations per request.</summary>
    Lean,

    /// <summary><c>SocketsHttpHandler</c> via <c>HttpMessageInvoker</c>: HTTP/2 and anything the lean engine does not speak.</summary>
    Handler,
}

/// <summary>One header of a request template.</summary>
public sealed record HeaderValue(string Name, string Value);

/// <summary>
/// One request a shard sends: the workload's single <c>target</c>, or one named entry of its <c>requests:</c> mix. In
/// plans it may still hold <c>${env:NAME}</c> references; activities resolve them
/// (<see cref="Safety.SecretReferences"/>) just before building a transport, and never store the resolved copy.
/// </summary>
public sealed record RequestTemplate
{
    /// <summary>
    /// The name of an entry of <c>requests:</c> (its metrics are kept apart under this name); null for the workload's
    /// single <c>target</c> request, which has only the run's totals.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Relative weight of this request in the open model's mix (each arrival picks one by weight).</summary>
    public double Weight { get; init; } = 1;

    public required string Method { get; init; }

    public required string Url { get; init; }

    public IReadOnlyList<HeaderValue> Headers { get; init; } = [];

    public string? Body { get; init; }

    /// <summary>"1.1" or "2".</summary>
    public string HttpVersion { get; init; } = "1.1";

    public TransportKind Transport { get; init; } = TransportKind.Auto;

    /// <summary>Response header naming the serving instance; captured per response without allocating.</summary>
    public string InstanceHeader { get; init; } = "x-instance-id";

    /// <summary>
    /// Checks every response of this request must pass (<see cref="Checks.ResponseCheckParser"/>): the target's, then
    /// the request's own. A failed check makes the exchange an error of class <c>check</c>.
    /// </summary>
    public IReadOnlyList<Checks.CheckSpec> Checks { get; init; } = [];

    /// <summary>Skip certificate validation (loopback targets only; enforced by <see cref="Safety.TargetPolicy"/>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }
}
