using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports.Lean;

namespace Yardstick.Core.Load.Requests;

/// <summary>What a shard's requests carry besides their templates.</summary>
public sealed record RequestCatalogOptions
{
    public static RequestCatalogOptions None { get; } = new();

    /// <summary>The run id for the correlation headers (<see cref="RunCorrelation"/>); null sends none.</summary>
    public string? CorrelationRunId { get; init; }

    /// <summary>The shard's seed: it makes every shard's trace ids distinct.</summary>
    public long TraceSeed { get; init; }

    /// <summary>Where <c>${data.column}</c> holes take their values; required when a request has holes.</summary>
    public IDataRows? Data { get; init; }

    /// <summary>
    /// Data values are written as they are, not percent-encoded or JSON-escaped: for a replay, whose values are a trace's
    /// recorded path (checked origin-form by <see cref="Replay.TraceReader"/>) and body, with any dataset values already
    /// filled in and encoded by the replay's prefetch thread (<see cref="Replay.ReplayFeed"/>).
    /// </summary>
    public bool VerbatimData { get; init; }
}

/// <summary>
/// A shard's requests compiled once for the transports: every request checked (method, headers, one origin for all),
/// encoded to bytes where nothing varies, and split into segments where something does (trace id, data values). A
/// transport is built over one catalog; the engine picks a request per exchange by index
/// (<see cref="ExchangeRequest.RequestIndex"/>), in the order of <see cref="ShardPlan.Requests"/>.
/// </summary>
public sealed class RequestCatalog
{
    private const string HoleMarker = "ysdatahole";

    private RequestCatalog(IReadOnlyList<CompiledRequest> requests, Uri origin, RequestCatalogOptions options)
    {
        Compiled = requests;
        Origin = origin;
        Data = options.Data;
        CorrelationRunId = options.CorrelationRunId;
        Trace = options.CorrelationRunId is { } runId ? new TraceParentWriter(RunCorrelation.TraceIdPrefix(runId), options.TraceSeed) : null;
    }

    /// <summary>The requests as given.</summary>
    public IReadOnlyList<RequestTemplate> Requests => Compiled.Select(c => c.Template).ToList();

    /// <summary>Number of requests.</summary>
    public int Count => Compiled.Count;

    /// <summary>The first request (TLS and instance-header settings apply to the whole catalog).</summary>
    public RequestTemplate First => Compiled[0].Template;

    /// <summary>Scheme, host and port every request goes to (the first request's URL with holes filled by markers).</summary>
    public Uri Origin { get; }

    /// <summary>The run id the correlation headers carry; null when they are off.</summary>
    public string? CorrelationRunId { get; }

    /// <summary>Data rows for the holes, when any request has some.</summary>
    public IDataRows? Data { get; }

    internal IReadOnlyList<CompiledRequest> Compiled { get; }

    /// <summary>Some request's checks read headers or the body: connections keep a <see cref="Checks.ResponseCapture"/>.</summary>
    public bool CapturesResponse => Compiled.Any(c => c.Checks is { NeedsCapture: true });

    /// <summary>A capture sized for this catalog's checks, or null when none needs one.</summary>
    public Checks.ResponseCapture? CreateCapture() =>
        CapturesResponse ? new Checks.ResponseCapture(Compiled.Max(c => c.Checks?.HeaderNames.Count ?? 0)) : null;

    internal TraceParentWriter? Trace { get; }

    /// <summary>A catalog of one request with no correlation headers and no data (what a single-template transport sends).</summary>
    public static RequestCatalog Single(RequestTemplate request) => Compile([request], RequestCatalogOptions.None);

    /// <summary>Compiles resolved requests (no <c>${env:}</c> references left).</summary>
    /// <exception cref="InputException">A request cannot be sent (names the field: <c>target.*</c> or <c>requests[i].*</c>).</exception>
    public static RequestCatalog Compile(IReadOnlyList<RequestTemplate> requests, RequestCatalogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            throw new InputException("requests", "there is no request to send.");
        }

        options ??= RequestCatalogOptions.None;
        var compiled = new List<CompiledRequest>(requests.Count);
        Uri? origin = null;
        for (var i = 0; i < requests.Count; i++)
        {
            var field = requests[i].Name is null ? "target" : $"requests[{i}]";
            var (request, uri) = Compile(requests[i], i, field, options);
            if (origin is null)
            {
                origin = uri;
            }
            else if (uri.Scheme != origin.Scheme || uri.IdnHost != origin.IdnHost || uri.Port != origin.Port)
            {
                throw new InputException(field + ".url", $"every request of a mix goes to one origin; '{Redaction.RedactUrl(requests[i].Url)}' is not on {origin.Scheme}://{origin.Authority}.");
            }

            compiled.Add(request);
        }

        return new RequestCatalog(compiled, origin!, options);
    }

    private static (CompiledRequest Request, Uri Uri) Compile(RequestTemplate template, int index, string field, RequestCatalogOptions options)
    {
        Http1RequestEncoder.CheckMethod(template.Method, field + ".method");
        var (uri, pathParts) = ParseUrl(template.Url, field + ".url");
        var correlated = options.CorrelationRunId is not null;
        if (correlated)
        {
            Http1RequestEncoder.CheckHeader(RunCorrelation.RunHeader, options.CorrelationRunId!, field + ".headers");
        }

        var headers = new List<(string Name, IReadOnlyList<TemplatePart> Value)>();
        var hasHost = false;
        string? contentType = null;
        foreach (var header in template.Headers)
        {
            var headerField = $"{field}.headers.{header.Name}";
            var parts = TemplateText.Parse(header.Value.Trim());
            Http1RequestEncoder.CheckHeader(header.Name, string.Concat(parts.Where(p => !p.IsHole).Select(p => p.Text)), headerField);
            if (correlated && (header.Name.Equals(RunCorrelation.TraceParentHeader, StringComparison.OrdinalIgnoreCase)
                || header.Name.Equals(RunCorrelation.RunHeader, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InputException(headerField, "Yardstick sets this header itself (target.correlation); remove it, or set target.correlation: false.");
            }

            hasHost |= header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase);
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = header.Value;
            }

            headers.Add((header.Name, parts));
        }

        var bodyParts = template.Body is null ? [] : TemplateText.Parse(template.Body);
        var bodyIsJson = template.Body is not null && IsJson(contentType, template.Body);
        var columns = ResolveColumns(pathParts, headers, bodyParts, options.Data, field);

        var builder = new SegmentBuilder();
        builder.Text(template.Method).Text(" ");
        foreach (var part in pathParts)
        {
            if (part.IsHole)
            {
                builder.Hole(columns[part.Text], options.VerbatimData ? ValueEncoding.Raw : ValueEncoding.Url);
            }
            else
            {
                builder.Text(part.Text);
            }
        }

        builder.Text(" HTTP/1.1\r\n");
        if (!hasHost)
        {
            // Uri.IdnHost drops the brackets of an IPv6 literal; Uri.Host keeps them.
            builder.Text("Host: ").Text(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost);
            if (!uri.IsDefaultPort)
            {
                builder.Text(":").Text(uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            builder.Text("\r\n");
        }

        foreach (var (name, parts) in headers)
        {
            builder.Text(name).Text(": ");
            foreach (var part in parts)
            {
                if (part.IsHole)
                {
                    builder.Hole(columns[part.Text], ValueEncoding.Header);
                }
                else
                {
                    builder.Text(part.Text);
                }
            }

            builder.Text("\r\n");
        }

        if (correlated)
        {
            builder.Text(RunCorrelation.TraceParentHeader).Text(": ").Trace().Text("\r\n");
            builder.Text(RunCorrelation.RunHeader).Text(": ").Text(options.CorrelationRunId!).Text("\r\n");
        }

        var bodyHasHoles = bodyParts.Any(p => p.IsHole);
        var staticBody = template.Body is null || bodyHasHoles ? [] : Encoding.UTF8.GetBytes(template.Body);
        if (template.Body is not null || Http1RequestEncoder.ExpectsContent(template.Method))
        {
            builder.Text("Content-Length: ");
            if (bodyHasHoles)
            {
                builder.ContentLength();
            }
            else
            {
                builder.Text(staticBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            builder.Text("\r\n");
        }

        builder.Text("\r\n");
        var head = builder.Take();
        var body = Array.Empty<Segment>();
        if (bodyHasHoles)
        {
            foreach (var (part, inString) in JsonContext(bodyParts, bodyIsJson))
            {
                if (part.IsHole)
                {
                    builder.Hole(columns[part.Text], !bodyIsJson || options.VerbatimData ? ValueEncoding.Raw : inString ? ValueEncoding.JsonString : ValueEncoding.JsonValue);
                }
                else
                {
                    builder.Text(part.Text);
                }
            }

            body = builder.Take();
        }
        else if (staticBody.Length > 0)
        {
            body = [builder.Bytes(staticBody)];
            builder.Take();
        }

        var literal = builder.Literal();
        byte[]? staticBytes = null;
        if (head.All(s => s.Kind == SegmentKind.Literal) && body.All(s => s.Kind == SegmentKind.Literal))
        {
            staticBytes = [.. head.Concat(body).SelectMany(s => literal.AsSpan(s.Start, s.Length).ToArray())];
        }

        var compiled = new CompiledRequest
        {
            Checks = Checks.ResponseChecks.Compile(template.Checks, field + ".checks"),
            Template = template,
            Index = index,
            IsHead = template.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase),
            IsIdempotent = Http1RequestEncoder.IsIdempotent(template.Method),
            StaticBytes = staticBytes,
            Literal = literal,
            Head = head,
            Body = body,
            StaticBodyLength = bodyHasHoles ? -1 : staticBody.Length,
            PathAndQuery = pathParts,
            Headers = headers,
            BodyParts = bodyParts,
            BodyIsJson = bodyIsJson,
            Columns = columns,
            VerbatimData = options.VerbatimData,
        };
        return (compiled, uri);
    }

    /// <summary>
    /// Parses the URL. Holes may sit only in the path and query: the scheme, host and port never vary by data row, so
    /// the target policy that checked the URL once holds for every request.
    /// </summary>
    private static (Uri Uri, IReadOnlyList<TemplatePart> PathAndQuery) ParseUrl(string url, string field)
    {
        var parts = TemplateText.Parse(url);
        var holes = parts.Count(p => p.IsHole);
        var marked = new StringBuilder();
        var n = 0;
        foreach (var part in parts)
        {
            marked.Append(part.IsHole ? $"{HoleMarker}{n++}x" : part.Text);
        }

        var text = marked.ToString();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InputException(field, $"'{Redaction.RedactUrl(url)}' is not an absolute http or https URL.");
        }

        if (holes == 0)
        {
            return (uri, [new TemplatePart(uri.PathAndQuery, IsHole: false)]);
        }

        if (url.Contains(HoleMarker, StringComparison.Ordinal))
        {
            throw new InputException(field, $"must not contain the text '{HoleMarker}' (Yardstick uses it internally).");
        }

        // Uri escapes the literal parts exactly as it does for untemplated URLs; the markers (letters and digits) pass unchanged.
        var pathAndQuery = uri.PathAndQuery;
        var result = new List<TemplatePart>();
        var at = 0;
        var columns = parts.Where(p => p.IsHole).Select(p => p.Text).ToList();
        for (var i = 0; i < holes; i++)
        {
            var marker = $"{HoleMarker}{i}x";
            var found = pathAndQuery.IndexOf(marker, at, StringComparison.Ordinal);
            if (found < 0)
            {
                throw new InputException(field, $"${{data.{columns[i]}}} may appear only in the path and query: the scheme, host and port must not vary by data row.");
            }

            if (found > at)
            {
                result.Add(new TemplatePart(pathAndQuery[at..found], IsHole: false));
            }

            result.Add(new TemplatePart(columns[i], IsHole: true));
            at = found + marker.Length;
        }

        if (at < pathAndQuery.Length)
        {
            result.Add(new TemplatePart(pathAndQuery[at..], IsHole: false));
        }

        return (uri, result);
    }

    private static Dictionary<string, int> ResolveColumns(
        IReadOnlyList<TemplatePart> path, List<(string Name, IReadOnlyList<TemplatePart> Value)> headers, IReadOnlyList<TemplatePart> body,
        IDataRows? data, string field)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = path.Concat(headers.SelectMany(h => h.Value)).Concat(body).Where(p => p.IsHole).Select(p => p.Text).Distinct();
        foreach (var name in names)
        {
            if (data is null)
            {
                throw new InputException(field, $"${{data.{name}}} needs a dataset (data: {{ file: … }}).");
            }

            var column = IndexOf(data.Columns, name);
            if (column < 0)
            {
                throw new InputException(field, $"${{data.{name}}}: the dataset has no column '{name}' (it has {string.Join(", ", data.Columns)}).");
            }

            columns[name] = column;
        }

        return columns;
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A JSON body: the Content-Type says so, or (without one) the body starts like a JSON object or array.</summary>
    internal static bool IsJson(string? contentType, string body) =>
        contentType is not null
            ? contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            : body.TrimStart() is ['{' or '[', ..];

    /// <summary>Each part with whether it sits inside a JSON string literal (tracked across the literal parts).</summary>
    internal static IEnumerable<(TemplatePart Part, bool InString)> JsonContext(IReadOnlyList<TemplatePart> parts, bool json)
    {
        var inString = false;
        var escaped = false;
        foreach (var part in parts)
        {
            yield return (part, inString);
            if (!json || part.IsHole)
            {
                continue;
            }

            foreach (var c in part.Text)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\' && inString)
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = !inString;
                }
            }
        }
    }

    /// <summary>Collects literal bytes and segments, merging adjacent literals.</summary>
    private sealed class SegmentBuilder
    {
        private readonly List<byte> _literal = [];
        private readonly List<Segment> _segments = [];

        public SegmentBuilder Text(string text) => Append(Encoding.UTF8.GetBytes(text));

        public Segment Bytes(byte[] bytes)
        {
            var start = _literal.Count;
            _literal.AddRange(bytes);
            return Segment.Bytes(start, bytes.Length);
        }

        public SegmentBuilder Hole(int column, ValueEncoding encoding)
        {
            _segments.Add(new Segment(SegmentKind.Data, 0, 0, column, encoding));
            return this;
        }

        public SegmentBuilder Trace()
        {
            _segments.Add(new Segment(SegmentKind.TraceParent, 0, 0, -1, ValueEncoding.Raw));
            return this;
        }

        public SegmentBuilder ContentLength()
        {
            _segments.Add(new Segment(SegmentKind.ContentLength, 0, 0, -1, ValueEncoding.Raw));
            return this;
        }

        public Segment[] Take()
        {
            var taken = _segments.ToArray();
            _segments.Clear();
            return taken;
        }

        public byte[] Literal() => [.. _literal];

        private SegmentBuilder Append(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                return this;
            }

            if (_segments.Count > 0 && _segments[^1] is { Kind: SegmentKind.Literal } last && last.Start + last.Length == _literal.Count)
            {
                _segments[^1] = last with { Length = last.Length + bytes.Length };
            }
            else
            {
                _segments.Add(Segment.Bytes(_literal.Count, bytes.Length));
            }

            _literal.AddRange(bytes);
            return this;
        }
    }
}
