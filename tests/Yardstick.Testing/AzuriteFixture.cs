using Xunit;
using Yardstick.Core.Runs;
using Yardstick.Storage;
using Yardstick.Storage.Local;

namespace Yardstick.Testing;

/// <summary>
/// One Azurite per test process, started through <see cref="AzuriteLauncher"/> (installing it with <c>npm ci</c> the
/// first time) in a fresh temporary folder on free ports. When <c>YARDSTICK_TEST_STORAGE</c> is set (for example by a
/// CI job that already runs Azurite) that connection string is used instead and nothing is started.
/// </summary>
/// <remarks>
/// Use it as a collection fixture; xunit only finds collection definitions in the test assembly itself, so each
/// test project declares
/// <code>
/// [CollectionDefinition(AzuriteFixture.Collection)]
/// public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;
/// </code>
/// and marks its classes <c>[Collection(AzuriteFixture.Collection)]</c>. A project whose classes are long and
/// independent may instead take it as a class fixture (<c>IClassFixture&lt;AzuriteFixture&gt;</c>), so that each class
/// is a collection of its own and xunit runs classes side by side: the CLI tests do (as one collection their
/// end-to-end classes ran strictly one after another, ~560 s of the project's ~620 s on the clock, one core idle).
/// Every fixture instance in the process shares the same emulator, which stops when the test process exits. Tests isolate themselves with
/// <see cref="UniqueName"/> (workloads, containers) or <see cref="CreateIsolatedStorage"/> (own tables and container).
/// Emulators left behind by a killed test run are stopped, and their folders removed, by the next run.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Name for <c>[CollectionDefinition]</c> / <c>[Collection]</c>.</summary>
    public const string Collection = "Azurite";

    /// <summary>Environment variable with a connection string to use instead of starting Azurite.</summary>
    public const string ConnectionVariable = "YARDSTICK_TEST_STORAGE";

    private static readonly Lazy<Task<(string ConnectionString, AzuriteLauncher? Launcher)>> Shared =
        new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly string RunToken = Guid.NewGuid().ToString("N")[..6];
    private static int _counter;

    /// <summary>Connection string of the shared emulator (or of <c>YARDSTICK_TEST_STORAGE</c>).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The launcher, or null when <c>YARDSTICK_TEST_STORAGE</c> supplied the storage.</summary>
    public AzuriteLauncher? Launcher { get; private set; }

    public StorageConnection Connection => StorageConnection.Parse(ConnectionString);

    /// <summary>Parent folder of the per-run emulator folders.</summary>
    public static string TestRoot => Path.Combine(Path.GetTempPath(), "yardstick-azurite-tests");

    public async Task InitializeAsync()
    {
        (ConnectionString, Launcher) = await Shared.Value;
    }

    /// <summary>Nothing to do per fixture: the shared emulator lives until the test process exits.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A name unique within this test run and across runs: <paramref name="prefix"/> + a run token + a counter,
    /// lowercase letters, digits and dashes (valid as a workload name and as a blob container name).
    /// </summary>
    public static string UniqueName(string prefix = "t") =>
        $"{prefix}-{RunToken}-{Interlocked.Increment(ref _counter)}";

    /// <summary>A unique <see cref="StorageLayout.WithPrefix"/> prefix (lowercase letters and digits, starting with a letter).</summary>
    public static string UniquePrefix() => $"t{RunToken}{Interlocked.Increment(ref _counter)}";

    /// <summary>Stores on the shared emulator with their own tables and container (a unique prefix).</summary>
    public YardstickStorage CreateIsolatedStorage(TimeProvider? timeProvider = null) =>
        YardstickStorage.Create(Connection, StorageLayout.Default.WithPrefix(UniquePrefix()), timeProvider);

    /// <summary>Stores on the shared emulator with the default table and container names (isolate by workload name).</summary>
    public YardstickStorage CreateStorage(TimeProvider? timeProvider = null) =>
        YardstickStorage.Create(Connection, StorageLayout.Default, timeProvider);

    /// <summary>A fresh valid run id created at <paramref name="at"/> (default: now).</summary>
    public static string NewRunId(DateTimeOffset? at = null) => RunIds.Create(at ?? DateTimeOffset.UtcNow, Guid.NewGuid());

    private static async Task<(string, AzuriteLauncher?)> StartSharedAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return (external.Trim(), null);
        }

        CleanUpStaleRuns();
        var location = Path.Combine(TestRoot, $"run-{Environment.ProcessId}-{RunToken}");
        var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions
        {
            Location = location,
            PreferDefaultPorts = false,
            ReuseRunning = false,
        });

        // Stop the emulator before removing its folder (the launcher's own exit hook may run later, which is harmless).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            launcher.Dispose();
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
                // Left for the next run's clean-up.
            }
        };
        return (launcher.ConnectionString, launcher);
    }

    /// <summary>Stops emulators whose test process died and deletes their folders.</summary>
    private static void CleanUpStaleRuns()
    {
        if (!Directory.Exists(TestRoot))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(TestRoot))
        {
            try
            {
                // A folder is finished when no live test process owns its Azurite (a killed owner's Azurite is stopped
                // here) and no launcher holds its start lock (one that is still starting has not written its state yet).
                if (AzuriteLauncher.StopIfOrphaned(directory) && !IsLocked(Path.Combine(directory, "azurite.lock")))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Another test process may be using or cleaning it: leave it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsLocked(string lockPath)
    {
        if (!File.Exists(lockPath))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
