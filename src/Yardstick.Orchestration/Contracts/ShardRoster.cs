using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration;

namespace Yardstick.Orchestration.Contracts;

/// <summary>
/// A run's measured shards in a Durable payload that stays small whatever the shard count: the plan names every
/// shard of every (round, variant), and only the failed ones are listed — the first <see cref="MaxReasons"/> with their
/// reasons, the rest as slot numbers (their stored results keep the reason). A list of every <see cref="ShardSummary"/>
/// crossed Durable's ~45 KB large-message limit at 256 shards (~60 KB), and the orchestrator episodes after that read
/// the offloaded payload back: ~9 s per episode on Azurite, long enough for control-queue messages to outlive their
/// visibility timeout and be redelivered (persist took 111–123 s).
/// </summary>
public sealed record ShardRoster
{
    /// <summary>Failed shards whose summary (and reason) travels in the payload.</summary>
    public const int MaxReasons = 8;

    /// <summary>The reason given for a failed shard listed only by its slot.</summary>
    public const string UnlistedReason = "failed (the reason is in its stored result, when it stored one)";

    public int Shards { get; init; }

    public int Repeat { get; init; } = 1;

    public IReadOnlyList<string> Variants { get; init; } = [""];

    /// <summary>The first failed measured shards, with their reasons.</summary>
    public IReadOnlyList<ShardSummary> Failed { get; init; } = [];

    /// <summary>Further failed shards: slot = (round × variants + variant index) × shards + shard index.</summary>
    public IReadOnlyList<int> OtherFailedSlots { get; init; } = [];

    /// <summary>The roster of <paramref name="measured"/>, the measured shards of a run planned by <paramref name="plan"/>.</summary>
    public static ShardRoster From(RunPlan plan, IEnumerable<ShardSummary> measured)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var roster = new ShardRoster { Shards = plan.Shards, Repeat = plan.Repeat, Variants = plan.Variants };
        var failed = measured.Where(s => !s.Succeeded).ToList();
        return roster with
        {
            Failed = failed.Take(MaxReasons).ToList(),
            OtherFailedSlots = failed.Skip(MaxReasons).Select(s => roster.Slot(s.Round, s.Variant, s.ShardIndex)).ToList(),
        };
    }

    /// <summary>Every measured shard in round, variant, shard order: the failed ones as failed, the others as succeeded.</summary>
    public IReadOnlyList<ShardSummary> Expand(string runId)
    {
        var listed = Failed.ToDictionary(s => Slot(s.Round, s.Variant, s.ShardIndex));
        var unlisted = OtherFailedSlots.ToHashSet();
        var all = new List<ShardSummary>(Shards * Repeat * Variants.Count);
        for (var round = 0; round < Repeat; round++)
        {
            foreach (var variant in Variants)
            {
                for (var shard = 0; shard < Shards; shard++)
                {
                    var slot = Slot(round, variant, shard);
                    if (listed.TryGetValue(slot, out var failure))
                    {
                        all.Add(failure);
                        continue;
                    }

                    all.Add(new ShardSummary
                    {
                        Key = ShardKey.Of(runId, RunPhase.Measured, round, variant, shard),
                        Phase = RunPhase.Measured,
                        Round = round,
                        Variant = variant,
                        ShardIndex = shard,
                        ResultRef = ShardResultNames.For(RunPhase.Measured, round, variant, shard),
                        FailureReason = unlisted.Contains(slot) ? UnlistedReason : null,
                    });
                }
            }
        }

        return all;
    }

    private int Slot(int round, string variant, int shard)
    {
        var index = Variants.Count == 1 ? 0 : Math.Max(0, IndexOf(variant));
        return (((round * Variants.Count) + index) * Shards) + shard;
    }

    private int IndexOf(string variant)
    {
        for (var i = 0; i < Variants.Count; i++)
        {
            if (Variants[i] == variant)
            {
                return i;
            }
        }

        return -1;
    }
}
