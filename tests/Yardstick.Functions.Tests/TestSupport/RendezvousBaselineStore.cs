using Yardstick.Core.Ports;

namespace Yardstick.Functions.Tests.TestSupport;

/// <summary>
/// The real baseline store with a gate on reads, to make concurrent promotions collide on purpose: once armed with
/// <c>[3, 2]</c>, the first three <see cref="GetCurrentAsync"/> calls each read, then wait for each other before returning
/// (so all hold the same ETag), then the next two do the same. Writes go straight to the real store, whose ETag check decides who wins.
/// </summary>
internal sealed class RendezvousBaselineStore(IBaselineStore inner) : IBaselineStore
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(60);
    private readonly Lock _lock = new();
    private readonly Queue<Round> _rounds = new();

    /// <summary>Groups the next reads: <paramref name="parties"/>[i] callers meet in round i.</summary>
    public void Arm(params int[] parties)
    {
        lock (_lock)
        {
            _rounds.Clear();
            foreach (var count in parties)
            {
                _rounds.Enqueue(new Round(count));
            }
        }
    }

    public async Task<Baseline?> GetCurrentAsync(BaselineKey key, CancellationToken cancellationToken)
    {
        // Read first, then wait: every caller of a round holds the same baseline (and ETag) before any of them goes on.
        var current = await inner.GetCurrentAsync(key, cancellationToken);
        Round? round = null;
        var complete = false;
        lock (_lock)
        {
            if (_rounds.TryPeek(out var next))
            {
                round = next;
                complete = ++round.Arrived == round.Parties;
                if (complete)
                {
                    _rounds.Dequeue();
                }
            }
        }

        if (round is not null)
        {
            if (complete)
            {
                round.AllArrived.TrySetResult();
            }

            await round.AllArrived.Task.WaitAsync(Liveness, cancellationToken);
        }

        return current;
    }

    public Task<IReadOnlyList<Baseline>> ListCurrentAsync(string workload, CancellationToken cancellationToken) =>
        inner.ListCurrentAsync(workload, cancellationToken);

    public Task<Baseline> PromoteAsync(BaselineKey key, IReadOnlyList<string> runIds, string mode, string? promotedBy, string? reason, string? expectedETag, CancellationToken cancellationToken) =>
        inner.PromoteAsync(key, runIds, mode, promotedBy, reason, expectedETag, cancellationToken);

    public Task<IReadOnlyList<Baseline>> HistoryAsync(BaselineKey key, int last, CancellationToken cancellationToken) =>
        inner.HistoryAsync(key, last, cancellationToken);

    private sealed class Round(int parties)
    {
        public int Parties { get; } = parties;

        public int Arrived { get; set; }

        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
