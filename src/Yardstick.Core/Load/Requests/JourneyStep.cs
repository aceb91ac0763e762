namespace Yardstick.Core.Load.Requests;

/// <summary>One step of a closed-model journey: which request (index into the shard's requests) and the pause after it.</summary>
/// <param name="Request">Index into <see cref="ShardPlan.Requests"/>.</param>
/// <param name="ThinkTime">Pause after the step's response; null uses the plan's <see cref="ShardPlan.ThinkTime"/>.</param>
public sealed record JourneyStep(int Request, TimeSpan? ThinkTime = null);
