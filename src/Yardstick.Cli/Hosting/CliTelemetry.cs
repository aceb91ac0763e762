using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Yardstick.Core;
using Yardstick.Orchestration.Telemetry;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// OTLP export of the runs this CLI carries out (<see cref="RunTelemetry"/>'s meter and spans), on only when an
/// endpoint is given: <c>--otlp-endpoint</c> (an OTLP/HTTP base URL, protobuf; <c>/v1/metrics</c> and <c>/v1/traces</c>
/// are appended), else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> with the SDK's own environment settings
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, headers…). Disposing flushes, so a run's figures leave before the CLI exits.
/// </summary>
internal sealed class CliTelemetry : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private CliTelemetry(MeterProvider meters, TracerProvider traces)
    {
        _meters = meters;
        _traces = traces;
    }

    /// <summary>The exporters, or null when no endpoint is set.</summary>
    /// <exception cref="InputException">The endpoint is not an absolute http(s) URL (naming the option or the variable).</exception>
    public static CliTelemetry? Start(string? endpointOption)
    {
        var fromOption = !string.IsNullOrWhiteSpace(endpointOption);
        var endpoint = fromOption ? endpointOption : Environment.GetEnvironmentVariable(EndpointVariable);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InputException(fromOption ? "--otlp-endpoint" : EndpointVariable, $"'{(endpoint.Length > 60 ? endpoint[..60] + "…" : endpoint)}' is not an absolute http or https URL.");
        }

        void Configure(OtlpExporterOptions options, string signal)
        {
            if (fromOption)
            {
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/v1/" + signal);
            }
        }

        var meters = Sdk.CreateMeterProviderBuilder().AddMeter(RunTelemetry.Name).AddOtlpExporter(o => Configure(o, "metrics")).Build();
        var traces = Sdk.CreateTracerProviderBuilder().AddSource(RunTelemetry.Name).AddOtlpExporter(o => Configure(o, "traces")).Build();
        return new CliTelemetry(meters, traces);
    }

    public void Dispose()
    {
        _traces.ForceFlush(5_000);
        _meters.ForceFlush(5_000);
        _traces.Dispose();
        _meters.Dispose();
    }
}
