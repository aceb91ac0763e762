using Yardstick.Core.Alerts;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Hosting;

/// <summary>What differs between the two hosts that run the same orchestrations.</summary>
public sealed record YardstickHostOptions
{
    /// <summary><c>local</c> (CLI) or <c>functions</c> (Azure).</summary>
    public string Host { get; init; } = "local";

    /// <summary>Target allow-list; loopback only unless configured (<c>YARDSTICK_ALLOWED_HOSTS</c>, <c>--allow-host</c>).</summary>
    public TargetPolicy TargetPolicy { get; init; } = TargetPolicy.LoopbackOnly;

    /// <summary>Whether <c>target.process</c> workloads may run (local host only).</summary>
    public bool AllowLocalProcesses { get; init; }

    private readonly Func<string, string?> _environment = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Where <c>${env:NAME}</c> references are resolved (the worker's environment), under <see cref="SecretNamePrefix"/>:
    /// a name outside the prefix resolves to nothing, exactly as if it were unset, so a caller cannot learn whether it exists.
    /// </summary>
    public Func<string, string?> Environment
    {
        get => SecretNamePrefix is { } prefix
            ? name => name.StartsWith(prefix, StringComparison.Ordinal) ? _environment(name) : null
            : _environment;
        init => _environment = value;
    }

    /// <summary>
    /// Only <c>${env:NAME}</c> names starting with this prefix resolve. The Functions host sets
    /// <see cref="SecretReferences.DeployedHostPrefix"/> (its environment holds its own credentials and settings, and a
    /// workload comes from whoever holds a function key); null on the CLI, where the environment is the user's own.
    /// </summary>
    public string? SecretNamePrefix { get; init; }

    /// <summary>
    /// Names this worker in shard results: a random token drawn once per process, then the process id
    /// (<c>w3f9a0c1e/4711</c>). It tells shards of one run apart by worker without storing the machine's name, which
    /// results must not carry (a hash of a short host name could be guessed back).
    /// </summary>
    public string WorkerName { get; init; } = DefaultWorkerName;

    private static readonly string DefaultWorkerName =
        $"w{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}/{System.Environment.ProcessId}";

    /// <summary>
    /// Azure adapters are registered (<c>ITargetControl</c>, <c>IMeteredCostSource</c>, <c>IServerTelemetrySource</c>): the
    /// <c>restart</c> and <c>appSetting</c> cold-start strategies and metered cost need them. Always on in the Functions
    /// host; on the local host only when the user asks for Azure access (<c>--azure</c>).
    /// </summary>
    public bool AzureAccess { get; init; }

    /// <summary>Yardstick's own function app (Functions host, from the platform's variables); null locally. Never a target.</summary>
    public SelfSite? Self { get; init; }

    /// <summary>
    /// Whether <c>target.azure.resourceId</c> may name a site in <see cref="Self"/>'s resource group
    /// (<c>YARDSTICK_ALLOW_OWN_RESOURCE_GROUP</c>); Yardstick's own app is refused either way.
    /// </summary>
    public bool AllowOwnResourceGroup { get; init; }

    /// <summary>Wait before reading Azure Monitor's billing metrics (they land minutes late; default 5 min).</summary>
    public TimeSpan MeteredCostDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether a workload may name <c>cost.pricingFile</c>, a path on the worker's disk: yes on the CLI (the user's own
    /// files), no on the Functions host, where a workload comes over HTTP and prices come from the shipped catalog.
    /// </summary>
    public bool AllowPricingFiles { get; init; } = true;

    /// <summary>
    /// Whether <c>data.file</c> datasets may be read from the worker's disk (the CLI's hosts). The Functions host refuses
    /// them (they would read the app's own files); every host reads <c>data.blob</c> datasets from the results account's
    /// datasets container (<c>IDatasetStore</c>).
    /// </summary>
    public bool AllowDatasetFiles { get; init; } = true;

    /// <summary>
    /// Most sweep variants (values, or grid cells) a run may have on this host; null = only the general cap
    /// (<c>LoadCaps.MaxSweepVariants</c>). The Functions host, where anyone with a function key starts runs, sets 16.
    /// </summary>
    public int? MaxSweepVariants { get; init; }

    /// <summary>Most steps a capacity search may run on this host; null = only the general cap (<c>LoadCaps.MaxCapacitySteps</c>).</summary>
    public int? MaxCapacitySteps { get; init; }

    /// <summary>Highest <c>capacity.maxRate</c> (requests/s) on this host; null = only the general rate cap.</summary>
    public double? MaxCapacityRate { get; init; }

    /// <summary>
    /// Whether a closed-model workload must bound its requests (a positive <c>load.thinkTime</c>, so each virtual user
    /// sends at most one request per think time, and the product within <c>LoadCaps.MaxTotalRequests</c>): the open
    /// model's rate × duration is capped, but virtual users without think time send as fast as the target answers. Off
    /// on the CLI (the user's own machine and targets), on for the Functions host.
    /// </summary>
    public bool BoundClosedModel { get; init; }

    /// <summary>The pricing catalog used when a workload names none (<c>cost.pricingFile</c>).</summary>
    public string? PricingCatalogPath { get; init; }

    /// <summary>Instance memory of the benchmarking app itself (Functions host), for the benchmark's own cost; null locally.</summary>
    public int? BenchmarkInstanceMemoryMB { get; init; }

    /// <summary>ARM region of the benchmarking app itself (Functions host).</summary>
    public string? BenchmarkRegion { get; init; }

    /// <summary>
    /// Where alerts may be sent: https to public addresses only (<see cref="AlertDestinations.PublicHttpsOnly"/>) on every
    /// host. <see cref="AlertDestinations.PublicHttpsOrLoopback"/> also admits loopback: tests set it to reach their
    /// receivers, the CLI when its user passes <c>--alerts-to-loopback</c>; the Functions host never.
    /// </summary>
    public AlertDestinations AlertDestinations { get; init; } = AlertDestinations.PublicHttpsOnly;

    /// <summary>The GitHub REST API the <c>github</c> alert channel calls (tests point it at a loopback receiver).</summary>
    public Uri GitHubApi { get; init; } = new("https://api.github.com/");

    /// <summary>First wait between the three attempts of an alert delivery (doubling: 2 s, then 4 s by default).</summary>
    public TimeSpan AlertRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>YARDSTICK_PUBLIC_URL</c>: the https address people open the app at; alerts link to the workload's trend and the
    /// run's report under it. Null: alerts carry no such links.
    /// </summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Alerts of workloads without an <c>alerts:</c> block (app settings <c>YARDSTICK_ALERTS_*</c>); null: none.</summary>
    public AlertsSpec? DefaultAlerts { get; init; }

    /// <summary>Cancelled when the host shuts down: running shards stop and return what they measured.</summary>
    public CancellationToken Shutdown { get; init; }
}
