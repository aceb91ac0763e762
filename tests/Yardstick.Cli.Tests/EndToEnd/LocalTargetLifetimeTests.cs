using System.Globalization;
using Xunit.Abstractions;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// A local target process (<c>target.process</c>) does not outlive the CLI that started it, even one killed with
/// SIGKILL: on Linux it dies with the CLI (setpriv --pdeathsig), and everywhere the next CLI in the same folder stops it
/// from its PID file. Real processes: the CLI, the sample target it starts, Azurite.
/// </summary>
public sealed class LocalTargetLifetimeTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static string PidDirectory => Path.Combine(Directory.GetCurrentDirectory(), ".yardstick", "targets", "pids");

    [Fact]
    public async Task Run_KilledWithSigkill_ItsTargetProcessDiesWithIt()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/setpriv"))
        {
            return; // pdeathsig needs Linux and util-linux setpriv; the PID-file test covers the rest.
        }

        var file = LongProcessWorkload();
        await using var cli = CliProcess.Start(["run", file, "--no-progress", .. Cli.HubArguments]);
        var target = await WaitForTargetAsync(cli);

        cli.Kill();
        await cli.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await GoneWithinAsync(target, TimeSpan.FromSeconds(30)), $"target process {target.Pid} still runs after its CLI was killed\n{cli.Output}");
    }

    [Fact]
    public async Task Run_KilledWithoutPdeathsig_NextRunInTheFolderStopsTheOrphan()
    {
        var file = LongProcessWorkload();
        // Another task hub: the next run must not finish this killed run (it would restart the target itself).
        string[] otherHub = ["--storage", Cli.ConnectionString, "--task-hub", "o" + Guid.NewGuid().ToString("N")[..12]];
        await using var cli = CliProcess.StartWith(new Dictionary<string, string> { ["YARDSTICK_NO_PDEATHSIG"] = "1" }, ["run", file, "--no-progress", .. otherHub]);
        var target = await WaitForTargetAsync(cli);
        try
        {
            cli.Kill();
            await cli.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(target.IsAlive(), "without pdeathsig the orphan should still run until the next CLI");

            var name = AzuriteFixture.UniqueName("next");
            var next = await Cli.RunAsync("run", Cli.WriteWorkload(name, $"""
                name: {name}
                target:
                  url: {Target.BaseUrl}/api/hello
                load:
                  rate: 10/s
                  duration: 1s
                """), "--no-progress");

            Assert.True(next.ExitCode == 0, next.ToString());
            Assert.True(await GoneWithinAsync(target, TimeSpan.FromSeconds(30)), $"the next run left the orphan {target.Pid} running");
            Assert.Empty(Directory.GetFiles(PidDirectory, $"{cli.Id.ToString(CultureInfo.InvariantCulture)}-*.json"));
        }
        finally
        {
            if (target.IsAlive())
            {
                using var orphan = System.Diagnostics.Process.GetProcessById(target.Pid);
                orphan.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A run whose load phase keeps its local sample target up for a minute.</summary>
    private string LongProcessWorkload()
    {
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("orphan");
        return Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{port}/api/hello
              process:
                command: sample-target
                args: ["--urls", "http://127.0.0.1:{port}"]
                readyTimeout: 60s
            load:
              rate: 5/s
              duration: 60s
            """);
    }

    /// <summary>The target the CLI started, from the PID file named after the CLI's pid.</summary>
    private async Task<ProcessIdentity> WaitForTargetAsync(CliProcess cli)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        var prefix = cli.Id.ToString(CultureInfo.InvariantCulture) + "-";
        while (DateTimeOffset.UtcNow < deadline)
        {
            Assert.False(cli.HasExited, "the CLI ended before its target started:\n" + cli.Output);
            var file = Directory.Exists(PidDirectory)
                ? Directory.GetFiles(PidDirectory, prefix + "*.json").FirstOrDefault()
                : null;
            if (file is not null
                && int.TryParse(Path.GetFileNameWithoutExtension(file)[prefix.Length..], CultureInfo.InvariantCulture, out var pid)
                && ProcessIdentity.Of(pid) is { } target)
            {
                Output.WriteLine($"CLI {cli.Id} started target {pid}");
                return target;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("the CLI did not start its target in time:\n" + cli.Output);
    }

    private static async Task<bool> GoneWithinAsync(ProcessIdentity target, TimeSpan bound)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (target.IsAlive())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}
