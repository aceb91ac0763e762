using System.Collections.Concurrent;
using Yardstick.Core.Ports;
using Yardstick.SampleTarget;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>
/// A fake <see cref="ITargetControl"/> over a real sample target on loopback: a restart (or a setting bump) stops the
/// target and starts a fresh one on the same port — a new instance id, as a real cold start gives — unless
/// <see cref="Sticky"/> is set, in which case the app keeps running (a forced cold start that did not happen).
/// </summary>
internal sealed class RestartableTarget : ITargetControl, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SampleTargetHost _host;
    private long _counter;

    private RestartableTarget(SampleTargetHost host, int port)
    {
        _host = host;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/api/hello";

    public bool Sticky { get; init; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<string> InstanceIds { get; } = new();

    /// <param name="sticky">Restarts keep the running app.</param>
    /// <param name="idleRecycleMs">The sample target's simulated scale to zero (<c>--idle-recycle-ms</c>); 0: never.</param>
    public static async Task<RestartableTarget> StartAsync(bool sticky = false, int idleRecycleMs = 0)
    {
        var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", IdleRecycleMs = idleRecycleMs });
        var port = new Uri(host.BaseUrl).Port;
        var target = new RestartableTarget(host, port) { Sticky = sticky };
        target.InstanceIds.Enqueue(host.InstanceId);
        return target;
    }

    public async Task RestartAsync(string resourceId, CancellationToken cancellationToken)
    {
        Calls.Enqueue("restart " + resourceId);
        await RecycleAsync(cancellationToken);
    }

    public async Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken)
    {
        Calls.Enqueue("bump " + resourceId);
        await RecycleAsync(cancellationToken);
        return Interlocked.Increment(ref _counter);
    }

    public Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not used by cold starts");

    public Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not used by cold starts");

    public Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not used by cold starts");

    /// <summary>The loopback target answers on 127.0.0.1, so that is its host name (runs are bound to it).</summary>
    public Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["127.0.0.1"]);

    public Task<Core.Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) =>
        Task.FromResult<FlexScaleSettings?>(null);

    public Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Calls.Enqueue("wait " + (probeUrl?.ToString() ?? "no-probe"));
        return Task.FromResult(true);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _gate.Dispose();
    }

    private async Task RecycleAsync(CancellationToken cancellationToken)
    {
        if (Sticky)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _host.DisposeAsync();
            _host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = $"http://127.0.0.1:{Port}" }, cancellationToken);
            InstanceIds.Enqueue(_host.InstanceId);
        }
        finally
        {
            _gate.Release();
        }
    }
}
