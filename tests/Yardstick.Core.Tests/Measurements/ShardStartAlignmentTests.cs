using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Measurements;

/// <summary>Whether a round's shards began together, from the start delays the shards recorded (in memory, no clock).</summary>
public sealed class ShardStartAlignmentTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    [Fact]
    public void Widest_OneShardRedeliveredLate_ReportsItsRoundShardAndSpread_AndIsMisaligned()
    {
        var results = new[]
        {
            Shard(round: 0, index: 0, delayMs: 3), Shard(0, 1, 5),
            Shard(1, 0, 10), Shard(1, 1, 19_810), Shard(1, 2, 40),
        };

        var widest = ShardStartAlignment.Widest(results);

        Assert.Equal(new ShardStartSpread(1, "", 1, TimeSpan.FromMilliseconds(19_800)), widest);
        Assert.Equal("shards did not start together: in round 1 shard 1 began 19.8 s after the first (tolerance 1.0 s)", ShardStartAlignment.Check(widest, Tolerance));
    }

    [Fact]
    public void Check_EveryShardEquallyLate_IsAligned()
    {
        // Late together re-bases together: the target still saw the whole round's load at once.
        var widest = ShardStartAlignment.Widest([Shard(0, 0, 20_000), Shard(0, 1, 20_000), Shard(0, 2, 20_400)]);

        Assert.Null(ShardStartAlignment.Check(widest, Tolerance));
        Assert.Equal(TimeSpan.FromMilliseconds(400), widest!.Spread);
    }

    [Fact]
    public void Check_SpreadExactlyAtTolerance_IsAligned_JustAbove_IsNot()
    {
        Assert.Null(ShardStartAlignment.Check(ShardStartAlignment.Widest([Shard(0, 0, 0), Shard(0, 1, 1_000)]), Tolerance));
        Assert.NotNull(ShardStartAlignment.Check(ShardStartAlignment.Widest([Shard(0, 0, 0), Shard(0, 1, 1_001)]), Tolerance));
    }

    [Fact]
    public void Widest_SweepVariantsAndSingleShardRounds_AreComparedOnlyWithinTheirOwnRound()
    {
        // Variant b's round starts after variant a's: different rounds, not a spread.
        var results = new[] { Shard(0, 0, 0, "a"), Shard(0, 0, 30_000, "b") };

        Assert.Null(ShardStartAlignment.Widest(results));
        Assert.Null(ShardStartAlignment.Widest([]));
        Assert.Equal("shards did not start together: in round 2 (b) shard 1 began 3.0 s after the first (tolerance 1.0 s)",
            ShardStartAlignment.Check(ShardStartAlignment.Widest([Shard(2, 0, 0, "b"), Shard(2, 1, 3_000, "b")]), Tolerance));
    }

    private static ShardResult Shard(int round, int index, int delayMs, string variant = "") =>
        TestShards.TenRequestsOf40Ms("r1", Start) with
        {
            Phase = RunPhase.Measured,
            Round = round,
            Variant = variant,
            ShardIndex = index,
            StartDelay = TimeSpan.FromMilliseconds(delayMs),
        };
}
