using Microsoft.DurableTask;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// One group of up to <see cref="ShardFanOut.GroupSize"/> shards of a wide round (see <see cref="ShardFanOut"/>): fans
/// them out with the round's common start time and returns their summaries in shard order. Failed shards come back as
/// summaries with a failure reason, exactly as in a flat fan-out. Deterministic: no I/O, no clock.
/// </summary>
public sealed class RunShardGroupOrchestrator : TaskOrchestrator<ShardGroupTask, List<ShardSummary>>
{
    public override async Task<List<ShardSummary>> RunAsync(TaskOrchestrationContext context, ShardGroupTask input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var done = await Task.WhenAll(ShardFanOut.Start(context, input));
        return [.. done.OrderBy(s => s.ShardIndex)];
    }
}
