using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace Yardstick.Testing;

/// <summary>
/// A loopback telemetry receiver for exporter tests: accepts every POST with 200 and keeps its body by path — as Latin-1
/// text, so protobuf's UTF-8 strings (OTLP/HTTP) and JSON lines (Azure Monitor's <c>/v2.1/track</c>, gzip undone) can both
/// be searched.
/// </summary>
public sealed class TelemetryReceiver : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<(string Path, string Body)> _bodies = new();

    private TelemetryReceiver(HttpListener listener, string baseUrl)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        _ = Task.Run(ServeAsync);
    }

    /// <summary><c>http://127.0.0.1:port</c>, no trailing slash.</summary>
    public string BaseUrl { get; }

    public static TelemetryReceiver Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var baseUrl = $"http://127.0.0.1:{TestPorts.Reserve()}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl);
            try
            {
                listener.Start();
                return new TelemetryReceiver(listener, baseUrl.TrimEnd('/'));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Bodies received on <paramref name="path"/> (<c>/v1/metrics</c>, <c>/v2.1/track</c>…).</summary>
    public List<string> Bodies(string path) => _bodies.Where(b => b.Path == path).Select(b => b.Body).ToList();

    /// <summary>Every path a request came to.</summary>
    public IReadOnlyList<string> Paths => _bodies.Select(b => b.Path).ToList();

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var buffer = new MemoryStream();
            var body = context.Request.Headers["Content-Encoding"] == "gzip"
                ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress)
                : context.Request.InputStream;
            await body.CopyToAsync(buffer);
            var path = context.Request.Url!.AbsolutePath;
            _bodies.Enqueue((path, Encoding.Latin1.GetString(buffer.ToArray())));
            context.Response.StatusCode = 200;
            if (path.EndsWith("/track", StringComparison.Ordinal))
            {
                // Azure Monitor's ingestion answer: everything accepted (the exporter would retry otherwise).
                var items = buffer.Length == 0 ? 0 : Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                var answer = Encoding.UTF8.GetBytes($$"""{"itemsReceived":{{items}},"itemsAccepted":{{items}},"errors":[]}""");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(answer);
            }
            else
            {
                context.Response.ContentType = "application/x-protobuf";
            }

            context.Response.Close();
        }
    }
}
