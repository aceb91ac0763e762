using System.Diagnostics;
using Yardstick.Storage;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>Watches a running CLI's storage for the moment a round's measured shards are all stored.</summary>
internal static class StoredRounds
{
    /// <summary>
    /// Waits until <paramref name="round"/> of <paramref name="workload"/>'s newest run has <paramref name="shards"/>
    /// measured shard blobs; returns the run id. Fails the test if the CLI ends first or <paramref name="patience"/>
    /// passes. Storage errors while the CLI is still creating its tables and containers count as "not yet".
    /// </summary>
    public static async Task<string> WaitForRoundAsync(
        YardstickStorage storage, string workload, CliProcess cli, int round, int shards, TimeSpan patience)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < patience)
        {
            Assert.False(cli.HasExited, "the CLI ended before the test could act on it:\n" + cli.Output);
            try
            {
                var runs = await storage.Runs.ListAsync(workload, 1, CancellationToken.None);
                if (runs.Count == 1 && (await storage.Artifacts.ListAsync(workload, runs[0].RunId, ShardPrefix(round), CancellationToken.None)).Count == shards)
                {
                    return runs[0].RunId;
                }
            }
            catch (global::Azure.RequestFailedException)
            {
                // The table or container is created by the CLI as it starts.
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"round {round} was not stored in time:\n" + cli.Output);
    }

    /// <summary>The blob prefix under which a measured round's shard results are stored.</summary>
    public static string ShardPrefix(int round) => $"shards/measured/r{round:00}/";
}
