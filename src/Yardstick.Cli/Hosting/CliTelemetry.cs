using Yardstick.Orchestration.Telemetry;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// Export of the runs this CLI carries out (<see cref="RunTelemetry"/>'s meter and spans), on only when asked:
/// <c>--otlp-endpoint</c> (an OTLP/HTTP base URL, protobuf; <c>/v1/metrics</c> and <c>/v1/traces</c> are appended), else
/// the standard environment variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> for Azure Monitor). Disposing flushes, so a run's figures leave before
/// the CLI exits.
/// </summary>
internal static class CliTelemetry
{
    /// <summary>The exporters, or null when nothing is configured.</summary>
    /// <exception cref="Core.InputException">A bad endpoint or protocol, naming the option or the variable.</exception>
    public static RunTelemetryExport? Start(string? endpointOption)
    {
        var settings = RunTelemetryExportSettings.FromSettings(Environment.GetEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(endpointOption))
        {
            settings = settings with { OtlpEndpoint = endpointOption, OtlpEndpointField = "--otlp-endpoint", OtlpProtocol = "http/protobuf" };
        }

        return RunTelemetryExport.Start(settings);
    }
}
