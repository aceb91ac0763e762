namespace Yardstick.Core.Load.Checks;

/// <summary>
/// One entry of a workload's <c>checks:</c> as written: the expression and an optional name (default: the expression).
/// Travels in shard plans inside <see cref="RequestTemplate.Checks"/>; transports parse it with <see cref="ResponseCheckParser"/>.
/// </summary>
public sealed record CheckSpec(string Expression, string? Name = null)
{
    /// <summary>The name the check's counts and errors carry: <see cref="Name"/>, or the trimmed expression.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Expression.Trim() : Name.Trim();
}

/// <summary>What a check looks at.</summary>
public enum CheckSubject
{
    /// <summary><c>status in [200, 201]</c>, <c>status == 200</c>, <c>status &lt; 400</c>.</summary>
    Status,

    /// <summary><c>header content-type ~ json</c> (contains, case-insensitive), <c>== text</c>, <c>!= text</c>, <c>exists</c>.</summary>
    Header,

    /// <summary><c>body contains "ok"</c>, <c>body !contains "error"</c>.</summary>
    Body,

    /// <summary><c>json $.items.length &gt; 0</c>, <c>json $.status == "ok"</c>, <c>json $.id exists</c>.</summary>
    Json,

    /// <summary><c>size &lt;= 64KB</c>: the response body's size in bytes (counted, never buffered).</summary>
    Size,

    /// <summary><c>latency &lt; 500ms</c>: the response's own time, send to last byte (queueing before the send excluded).</summary>
    Latency,
}

/// <summary>A comparison operator of a check.</summary>
public enum CheckOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,

    /// <summary>Status: one of a list.</summary>
    In,

    /// <summary>Header: contains, case-insensitive (<c>~</c>); body: contains (<c>contains</c>).</summary>
    Contains,

    /// <summary>Body: does not contain (<c>!contains</c>).</summary>
    NotContains,

    /// <summary>Header or JSON path: present.</summary>
    Exists,
}

/// <summary>The kind of a JSON literal a <c>json</c> check compares with.</summary>
public enum JsonLiteralKind
{
    None,
    Number,
    String,
    True,
    False,
    Null,
}

/// <summary>One segment of a JSON path: a property name, or an array index when <see cref="Property"/> is null.</summary>
public readonly record struct JsonPathSegment(string? Property, int Index);

/// <summary>A parsed check (see <see cref="ResponseCheckParser"/> for the grammar).</summary>
public sealed record ResponseCheck
{
    public required string Name { get; init; }

    /// <summary>The expression as written (trimmed).</summary>
    public required string Expression { get; init; }

    public CheckSubject Subject { get; init; }

    public CheckOperator Operator { get; init; }

    /// <summary>Status codes for <see cref="CheckOperator.In"/>.</summary>
    public IReadOnlyList<int> Codes { get; init; } = [];

    /// <summary>A number to compare with: status code, size in bytes, latency in ms, or a JSON number.</summary>
    public double Number { get; init; }

    /// <summary>Header name (<see cref="CheckSubject.Header"/>).</summary>
    public string? HeaderName { get; init; }

    /// <summary>Text to compare with or look for (header value, body text, JSON string).</summary>
    public string? Text { get; init; }

    /// <summary>UTF-8 bytes of <see cref="Text"/> for <see cref="CheckSubject.Body"/> checks.</summary>
    public byte[] TextUtf8 { get; init; } = [];

    /// <summary>JSON path segments (after <c>$</c>), without a final <c>.length</c>.</summary>
    public IReadOnlyList<JsonPathSegment> Path { get; init; } = [];

    /// <summary>The path ends in <c>.length</c> (array items, string characters or object properties).</summary>
    public bool Length { get; init; }

    public JsonLiteralKind Literal { get; init; }

    /// <summary>The check needs the response body buffered (body and json checks).</summary>
    public bool NeedsBody => Subject is CheckSubject.Body or CheckSubject.Json;

    /// <summary>The failure description the error samples carry (no response content in it).</summary>
    public string FailureText { get; init; } = "";
}
