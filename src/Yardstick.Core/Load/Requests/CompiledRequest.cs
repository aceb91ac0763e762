namespace Yardstick.Core.Load.Requests;

/// <summary>How a data value is written where a hole sits.</summary>
internal enum ValueEncoding : byte
{
    /// <summary>As it is (a body that is not JSON).</summary>
    Raw,

    /// <summary>Percent-encoded except RFC 3986 unreserved characters (URL path and query).</summary>
    Url,

    /// <summary>Control characters become spaces and non-ASCII bytes '?': a value can never end the header line.</summary>
    Header,

    /// <summary>Escaped for the inside of a JSON string literal.</summary>
    JsonString,

    /// <summary>A JSON number, true, false or null as it is; anything else as a quoted, escaped JSON string.</summary>
    JsonValue,
}

internal enum SegmentKind : byte
{
    /// <summary>Bytes of <see cref="CompiledRequest.Literal"/>.</summary>
    Literal,

    /// <summary>A data column's value.</summary>
    Data,

    /// <summary>The 55-byte <c>traceparent</c> value.</summary>
    TraceParent,

    /// <summary>The body's length in decimal (Content-Length of a templated body).</summary>
    ContentLength,
}

/// <summary>One piece of a compiled request: literal bytes, or a value written per exchange.</summary>
internal readonly record struct Segment(SegmentKind Kind, int Start, int Length, int Column, ValueEncoding Encoding)
{
    public static Segment Bytes(int start, int length) => new(SegmentKind.Literal, start, length, -1, ValueEncoding.Raw);
}

/// <summary>
/// One named request compiled for the wire: the whole HTTP/1.1 request as static bytes when nothing varies per
/// exchange (the lean engine sends them as they are), else head and body as segments a <see cref="RequestWriter"/>
/// fills per exchange (trace id, data values, Content-Length).
/// </summary>
internal sealed class CompiledRequest
{
    public required RequestTemplate Template { get; init; }

    public required int Index { get; init; }

    public bool IsHead { get; init; }

    public bool IsIdempotent { get; init; }

    /// <summary>The whole request when nothing varies per exchange; null otherwise.</summary>
    public byte[]? StaticBytes { get; init; }

    /// <summary>Literal bytes the segments point into.</summary>
    public byte[] Literal { get; init; } = [];

    public Segment[] Head { get; init; } = [];

    /// <summary>Body segments; empty when there is no body.</summary>
    public Segment[] Body { get; init; } = [];

    /// <summary>Body length when the body has no holes; -1 when it varies.</summary>
    public int StaticBodyLength { get; init; }

    /// <summary>The path and query as template parts (holes URL-encoded), for transports that build their own messages.</summary>
    public IReadOnlyList<TemplatePart> PathAndQuery { get; init; } = [];

    /// <summary>Header name and value parts, as the template gives them (no correlation headers).</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<TemplatePart> Value)> Headers { get; init; } = [];

    public IReadOnlyList<TemplatePart> BodyParts { get; init; } = [];

    public bool BodyIsJson { get; init; }

    /// <summary>Column index per distinct hole name (into the dataset's columns).</summary>
    public IReadOnlyDictionary<string, int> Columns { get; init; } = new Dictionary<string, int>();

    /// <summary>The request's checks, parsed; null when it has none.</summary>
    public Checks.ResponseChecks? Checks { get; init; }

    /// <summary>Data values are written as they are (a replay's recorded path and body).</summary>
    public bool VerbatimData { get; init; }

    /// <summary>True when the request reads a data row.</summary>
    public bool UsesData => Columns.Count > 0;
}
