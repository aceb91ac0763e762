namespace Yardstick.Storage.Local;

/// <summary>How <see cref="AzuriteLauncher"/> installs and starts Azurite.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Data folder (Azurite's <c>--location</c>), also holding its log and the launcher's state file. Relative paths are resolved against the current directory.</summary>
    public string Location { get; init; } = Path.Combine(".yardstick", "azurite");

    /// <summary>The <c>tools/azurite</c> folder (package.json + lock file). When null: <c>YARDSTICK_AZURITE_DIR</c>, else found by walking up from the current directory and from the application's base directory.</summary>
    public string? AzuriteDirectory { get; init; }

    /// <summary>Use 10000/10001/10002 when all three are free (what other tools expect); otherwise, or when false, free ports.</summary>
    public bool PreferDefaultPorts { get; init; } = true;

    /// <summary>
    /// Exactly these blob, queue and table ports (for example to start Azurite again where a killed one listened, so
    /// clients holding its connection string carry on); null chooses as <see cref="PreferDefaultPorts"/> says. Three
    /// distinct ports between 1 and 65535; when one is taken the start fails instead of moving elsewhere.
    /// </summary>
    public IReadOnlyList<int>? Ports { get; init; }

    /// <summary>How long Azurite may take to answer on all three endpoints.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the first-time <c>npm ci</c> may take.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Write Azurite's per-request access log into its log file (off: it grows quickly under Durable Task polling).</summary>
    public bool AccessLog { get; init; }

    /// <summary>Pass <c>--loose</c> (ignore unsupported headers); not needed by Yardstick or the Durable Task engine.</summary>
    public bool Loose { get; init; }

    /// <summary>
    /// Stop an owned Azurite when this process gets SIGTERM, SIGINT, SIGHUP or SIGQUIT that no earlier handler cancelled
    /// (.NET does not raise <c>ProcessExit</c> for a signal it is not asked to handle). A host that cancels these
    /// signals for a graceful shutdown (the Generic Host does) either registers its handlers before starting the
    /// launcher or sets this to false, and disposes the launcher as it shuts down.
    /// </summary>
    public bool StopOnTerminationSignals { get; init; } = true;

    /// <summary>Reuse an Azurite that an earlier launcher started on the same location and that still answers (see <see cref="AzuriteLauncher"/>).</summary>
    public bool ReuseRunning { get; init; } = true;
}
