using Yardstick.Core.Load;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>Blob names (relative to the run's folder) of shard results: one per run / phase / round / variant / shard.</summary>
public static class ShardResultNames
{
    public static string For(ShardTask task) => For(task.Phase, task.Round, task.Variant, task.ShardIndex);

    public static string For(RunPhase phase, int round, string variant, int shard) => $"{RoundFolder(phase, round, variant)}s{shard:D3}.json";

    /// <summary>The folder (ending in <c>/</c>) of one round's shard results, for a listing of what a round has stored.</summary>
    public static string RoundFolder(RunPhase phase, int round, string variant)
    {
        var phaseName = phase == RunPhase.Warmup ? "warmup" : "measured";
        var variantPart = string.IsNullOrEmpty(variant) ? "" : "v-" + Uri.EscapeDataString(variant) + "/";
        return $"shards/{phaseName}/{variantPart}r{round:D2}/";
    }
}
