using System.CommandLine;
using Yardstick.Cli.Hosting;

namespace Yardstick.Cli.Commands;

/// <summary>
/// The options of every command that runs workloads on the local Durable host (<c>run</c>, <c>sweep</c>, <c>gate</c>,
/// <c>calibrate</c>, <c>resume</c>): where the task hub lives, how much this process takes on, what it may reach.
/// Declared once so the commands cannot drift apart.
/// </summary>
internal sealed class LocalHostCliOptions
{
    public Option<string?> Storage { get; } = CommonOptions.Storage();

    public Option<string?> TaskHub { get; } = CommonOptions.TaskHub();

    public Option<int?> MaxActivities { get; } = CommonOptions.MaxActivities();

    public Option<string[]> AllowHost { get; } = CommonOptions.AllowHost();

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    public Option<bool> Azure { get; } = CommonOptions.Azure();

    public Option<string?> MeteredDelay { get; } = CommonOptions.MeteredDelay();

    public Option<bool> AlertsToLoopback { get; } = CommonOptions.AlertsToLoopback();

    public Symbol[] All => [Storage, TaskHub, MaxActivities, AllowHost, Verbose, Azure, MeteredDelay, AlertsToLoopback];

    /// <summary>The local host's settings as given (each checked, naming its option on error).</summary>
    public CliEnvironmentOptions Read(ParseResult parse, CancellationToken shutdown) => new()
    {
        Storage = parse.GetValue(Storage),
        TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(TaskHub)),
        MaxActivities = CommonOptions.CheckMaxActivities(parse.GetValue(MaxActivities)),
        AllowedHosts = parse.GetValue(AllowHost) ?? [],
        Verbose = parse.GetValue(Verbose),
        AzureAccess = parse.GetValue(Azure),
        MeteredDelay = CommonOptions.ParseDuration(parse.GetValue(MeteredDelay), "--metered-delay"),
        AlertsToLoopback = parse.GetValue(AlertsToLoopback),
        Shutdown = shutdown,
    };
}
