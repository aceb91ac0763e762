using Xunit.Abstractions;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// End-to-end tests of the CLI against one in-process sample target on a free loopback port: the target starts before
/// each test and stops after it, and <see cref="Cli"/> runs commands on the shared Azurite.
/// </summary>
public abstract class SampleTargetCliTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime, IDisposable
{
    protected CliHarness Cli { get; } = new(azurite, output);

    protected ITestOutputHelper Output { get; } = output;

    protected SampleTargetHost Target { get; private set; } = null!;

    /// <summary>How the target is started (override for extra latency and the like).</summary>
    protected virtual SampleTargetOptions TargetOptions => new() { Urls = "http://127.0.0.1:0" };

    public async Task InitializeAsync() => Target = await SampleTargetHost.StartAsync(TargetOptions);

    public async Task DisposeAsync() => await Target.DisposeAsync();

    public void Dispose()
    {
        Cli.Dispose();
        GC.SuppressFinalize(this);
    }
}
