using System.Diagnostics;
using System.Globalization;

namespace Yardstick.Storage.Local;

/// <summary>Checks that Azurite answers on its blob, queue and table ports (any HTTP answer whose <c>Server</c> header names Azurite).</summary>
internal static class AzuriteProbe
{
    public enum Outcome
    {
        Ready,
        Exited,
        TimedOut,
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Loopback only, no proxy: a proxy setting must never route the probe elsewhere.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    public static async Task<Outcome> WaitUntilReadyAsync(Process process, int[] ports, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (process.HasExited)
            {
                return Outcome.Exited;
            }

            if (await AllAnswerAsync(ports, cancellationToken))
            {
                return Outcome.Ready;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return process.HasExited ? Outcome.Exited : Outcome.TimedOut;
    }

    public static async Task<bool> AllAnswerAsync(int[] ports, CancellationToken cancellationToken)
    {
        foreach (var port in ports)
        {
            if (!await AnswersAsync(port, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{DevelopmentStorage.AccountName}?comp=list"));
        try
        {
            using var response = await Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.Headers.Server.ToString().StartsWith("Azurite", StringComparison.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The per-request timeout: not answering yet.
            return false;
        }
    }
}
