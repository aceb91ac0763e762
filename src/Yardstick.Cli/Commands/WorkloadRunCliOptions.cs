using System.CommandLine;

namespace Yardstick.Cli.Commands;

/// <summary>
/// The workload file and options of every command that runs one (<c>run</c>, <c>sweep</c>, <c>gate</c>,
/// <c>calibrate</c>): <c>--set</c>, <c>--tag</c>, <c>--no-progress</c> and the local host's options.
/// </summary>
internal sealed class WorkloadRunCliOptions(string fileDescription = "Workload file (YAML or JSON).")
{
    public Argument<FileInfo> File { get; } = new("file") { Description = fileDescription };

    public Option<string[]> Set { get; } = CommonOptions.Set();

    public Option<string[]> Tag { get; } = CommonOptions.Tag();

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Do not show live progress." };

    public Option<bool> AllowDatasetChange { get; } = new("--allow-dataset-change")
    {
        Description = "Compare with a baseline measured on another dataset (data.file with another SHA-256); by default such a baseline is left out and the verdict says why.",
    };

    public Option<string?> OtlpEndpoint { get; } = new("--otlp-endpoint")
    {
        Description = "Export the run's headline metrics and phase spans to this OTLP/HTTP endpoint (protobuf; /v1/metrics and /v1/traces are added). Default: OTEL_EXPORTER_OTLP_ENDPOINT when set (with the SDK's OTEL_* settings); neither: nothing is exported.",
    };

    public LocalHostCliOptions Host { get; } = new();

    public Symbol[] All => [File, Set, Tag, NoProgress, AllowDatasetChange, OtlpEndpoint, .. Host.All];

    /// <summary>The run as given (tags and host options checked, naming the option on error); <c>--json</c> is each command's own.</summary>
    public RunArguments Read(ParseResult parse, CancellationToken shutdown) => new()
    {
        File = parse.GetValue(File)!,
        Overrides = parse.GetValue(Set) ?? [],
        Tags = CommonOptions.ParsePairs(parse.GetValue(Tag), "--tag"),
        ShowProgress = !parse.GetValue(NoProgress),
        AllowDatasetChange = parse.GetValue(AllowDatasetChange),
        OtlpEndpoint = parse.GetValue(OtlpEndpoint),
        Environment = Host.Read(parse, shutdown),
    };
}
