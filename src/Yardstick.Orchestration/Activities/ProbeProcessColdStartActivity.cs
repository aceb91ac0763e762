using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// A <c>process</c> cold start: starts the target command fresh, times from the process start to the first successful
/// response, sends the warm requests, kills the process and checks its port is free again (the next probe, and the
/// load phase's own long-running target, must not find it). Runs before the load phases start their target.
/// </summary>
public sealed class ProbeProcessColdStartActivity(
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<ProbeProcessColdStartActivity> logger,
    LocalProcessTargets? targets = null) : TaskActivity<ColdStartProbeTask, ColdStartProbe>
{
    private static readonly TimeSpan PortReleaseTimeout = TimeSpan.FromSeconds(10);

    public override async Task<ColdStartProbe> RunAsync(TaskActivityContext context, ColdStartProbeTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var process = stored.Workload.Target.Process
            ?? throw new InputException("coldStart.strategy", "'process' starts the local target process, so it needs target.process.");
        if (targets is null || !options.AllowLocalProcesses)
        {
            throw new InputException("coldStart.strategy", $"'process' cold starts run on the local host only; the {options.Host} host cannot start processes.");
        }

        var request = ProbeRequests.Resolve(stored, options);
        var endpoint = new Uri(request.Url);
        if (await IsListeningAsync(endpoint, cancellationToken))
        {
            throw new InputException(
                "coldStart.strategy",
                $"something already listens on {endpoint.Host}:{endpoint.Port} before the probe started its process; a process cold start needs the port free (stop the other process).");
        }

        var forcedAt = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var child = targets.StartFresh(process, stored.WorkloadDirectory, $"{input.RunId}-coldstart-{input.Index}");
        ColdStartProbe probe;
        try
        {
            probe = await ColdStartProber.ProbeAsync(
                request,
                ProbeRequests.Transport(stored, options),
                ProbeRequests.Probe(stored),
                input.Index,
                forcedAt,
                started,
                () => child.HasExited ? $"the target process exited with code {child.ExitCode} before answering" : null,
                time,
                cancellationToken);
        }
        finally
        {
            targets.Stop(child);
        }

        if (!await WaitUntilFreeAsync(endpoint, cancellationToken))
        {
            throw new InvalidOperationException($"{endpoint.Host}:{endpoint.Port} still accepts connections {PortReleaseTimeout.TotalSeconds:0} s after the probe's process was killed.");
        }

        Log.ColdStartProbed(logger, input.RunId, input.Index, probe.InstanceId ?? "-", probe.TimeToFirstSuccessMs ?? -1, probe.Failure ?? "");
        return probe;
    }

    private async Task<bool> WaitUntilFreeAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + PortReleaseTimeout;
        while (await IsListeningAsync(endpoint, cancellationToken))
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        return true;
    }

    /// <summary>Whether a TCP connect to the URL's host and port succeeds (loopback: answers at once either way).</summary>
    internal static async Task<bool> IsListeningAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
