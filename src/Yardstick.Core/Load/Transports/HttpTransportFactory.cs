namespace Yardstick.Core.Load.Transports;

/// <summary>Picks the transport for a resolved request template.</summary>
public static class HttpTransportFactory
{
    /// <summary>
    /// <see cref="TransportKind.Auto"/> uses the lean HTTP/1.1 engine for HTTP/1.1 targets and the handler for HTTP/2.
    /// </summary>
    public static TransportKind Choose(RequestTemplate request) => request.Transport switch
    {
        TransportKind.Auto => request.HttpVersion == "2" ? TransportKind.Handler : TransportKind.Lean,
        TransportKind.Lean when request.HttpVersion == "2" =>
            throw new InputException("target.transport", "the lean transport speaks HTTP/1.1 only; use 'handler' or 'auto' for HTTP/2."),
        var kind => kind,
    };

    public static IHttpTransport Create(RequestTemplate request, TransportOptions options) => Choose(request) switch
    {
        TransportKind.Lean => new Lean.LeanHttpTransport(request, options),
        _ => new HandlerHttpTransport(request, options),
    };

    /// <summary>A transport for a shard's compiled requests; the first request's version and transport decide for all.</summary>
    public static IHttpTransport Create(Requests.RequestCatalog catalog, TransportOptions options) => Choose(catalog.First) switch
    {
        TransportKind.Lean => new Lean.LeanHttpTransport(catalog, options),
        _ => new HandlerHttpTransport(catalog, options),
    };
}
