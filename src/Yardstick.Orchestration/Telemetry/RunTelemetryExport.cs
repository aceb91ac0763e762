using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Yardstick.Core;

namespace Yardstick.Orchestration.Telemetry;

/// <summary>Where a host sends <see cref="RunTelemetry"/>'s meter and spans; each part is off when null.</summary>
public sealed record RunTelemetryExportSettings
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string AzureMonitorVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The OTLP endpoint as given (checked by <see cref="RunTelemetryExport.Start"/>).</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>What to name when <see cref="OtlpEndpoint"/> is bad: the option or the setting it came from.</summary>
    public string OtlpEndpointField { get; init; } = OtlpEndpointVariable;

    /// <summary><c>grpc</c> (the SDK's default: the endpoint as given) or <c>http/protobuf</c> (<c>/v1/metrics</c> and <c>/v1/traces</c> appended).</summary>
    public string? OtlpProtocol { get; init; }

    /// <summary>An Application Insights connection string: metrics and spans also go to Azure Monitor.</summary>
    public string? AzureMonitorConnectionString { get; init; }

    /// <summary>
    /// The Entra identity to send to Azure Monitor with, where the component accepts nothing else (local authentication
    /// off, as Yardstick's infrastructure deploys it); null sends with the connection string's key.
    /// </summary>
    public Azure.Core.TokenCredential? AzureMonitorCredential { get; init; }

    /// <summary>
    /// The standard settings from <paramref name="read"/> (environment variables, or a host's configuration, where app
    /// settings arrive): <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>.
    /// </summary>
    public static RunTelemetryExportSettings FromSettings(Func<string, string?> read) => new()
    {
        OtlpEndpoint = read(OtlpEndpointVariable),
        OtlpProtocol = read(OtlpProtocolVariable),
        AzureMonitorConnectionString = read(AzureMonitorVariable),
    };
}

/// <summary>
/// The OpenTelemetry SDK providers that export <see cref="RunTelemetry"/> (meter and activity source
/// <c>Yardstick.Runs</c>): OTLP when an endpoint is set, Azure Monitor when a connection string is. One per process;
/// <see cref="Flush"/> pushes what was recorded now (a run's figures must not wait for the next 60-second export, nor be
/// lost when a serverless instance is recycled), disposing flushes and stops.
/// </summary>
public sealed class RunTelemetryExport : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private RunTelemetryExport(MeterProvider meters, TracerProvider traces, IReadOnlyList<string> destinations)
    {
        _meters = meters;
        _traces = traces;
        Destinations = destinations;
    }

    /// <summary>What is exported to, for a log line: <c>otlp http/protobuf http://collector:4318</c>, <c>azure-monitor</c>.</summary>
    public IReadOnlyList<string> Destinations { get; }

    /// <summary>The exporters, or null when neither an OTLP endpoint nor an Azure Monitor connection string is set.</summary>
    /// <exception cref="InputException">The endpoint is not an absolute http(s) URL, or the protocol is unknown (naming the field).</exception>
    public static RunTelemetryExport? Start(RunTelemetryExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var otlp = OtlpTarget(settings);
        var azureMonitor = string.IsNullOrWhiteSpace(settings.AzureMonitorConnectionString) ? null : settings.AzureMonitorConnectionString.Trim();
        if (otlp is null && azureMonitor is null)
        {
            return null;
        }

        var meters = Sdk.CreateMeterProviderBuilder().AddMeter(RunTelemetry.Name);
        var traces = Sdk.CreateTracerProviderBuilder().AddSource(RunTelemetry.Name);
        var destinations = new List<string>();
        if (otlp is var (endpoint, protocol))
        {
            meters.AddOtlpExporter(o => Configure(o, endpoint, protocol, "metrics"));
            traces.AddOtlpExporter(o => Configure(o, endpoint, protocol, "traces"));
            // Scheme, host and port only: never user information or a query that could hold a token.
            destinations.Add($"otlp {(protocol == OtlpExportProtocol.Grpc ? "grpc" : "http/protobuf")} {endpoint.Scheme}://{endpoint.Host}:{endpoint.Port}");
        }

        if (azureMonitor is not null)
        {
            // The connection string carries the instrumentation key and the ingestion endpoint; the exporter validates it.
            void Configure(AzureMonitorExporterOptions options)
            {
                options.ConnectionString = azureMonitor;
                options.Credential = settings.AzureMonitorCredential;
            }

            meters.AddAzureMonitorMetricExporter(Configure);
            traces.AddAzureMonitorTraceExporter(Configure);
            destinations.Add("azure-monitor");
        }

        return new RunTelemetryExport(meters.Build(), traces.Build(), destinations);
    }

    /// <summary>Exports what has been recorded so far, waiting at most <paramref name="timeout"/> per signal.</summary>
    public void Flush(TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        _traces.ForceFlush(milliseconds);
        _meters.ForceFlush(milliseconds);
    }

    public void Dispose()
    {
        Flush(TimeSpan.FromSeconds(5));
        _traces.Dispose();
        _meters.Dispose();
    }

    private static (Uri Endpoint, OtlpExportProtocol Protocol)? OtlpTarget(RunTelemetryExportSettings settings)
    {
        var endpoint = settings.OtlpEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            // Never echo a long value whole: it could be a connection string pasted into the wrong setting.
            throw new InputException(settings.OtlpEndpointField, $"'{(endpoint.Length > 60 ? endpoint[..60] + "…" : endpoint)}' is not an absolute http or https URL.");
        }

        var protocol = settings.OtlpProtocol?.Trim().ToLowerInvariant() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InputException(RunTelemetryExportSettings.OtlpProtocolVariable, $"'{settings.OtlpProtocol}' is not supported: use grpc or http/protobuf."),
        };
        return (uri, protocol);
    }

    /// <summary>
    /// As the OpenTelemetry specification reads <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: for OTLP/HTTP a base URL to which the
    /// signal's path is appended, for gRPC the endpoint itself. Headers and timeouts stay the SDK's (its environment variables).
    /// </summary>
    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signal)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/" + signal)
            : endpoint;
    }
}
