using System.Diagnostics;
using Yardstick.Core.Load;

namespace Yardstick.Core.Tests.Load;

/// <summary>The pacer's contract: never early, stops on cancellation. (How late it is gets measured in bench/.)</summary>
public sealed class PacingTests
{
    [Theory]
    [InlineData(0.05)] // shorter than a sleep's usual overshoot
    [InlineData(0.5)] // one high-resolution sleep
    [InlineData(30)] // several sleep slices
    public void WaitUntil_ReturnsTrue_NotBeforeTheDueTime(double milliseconds)
    {
        for (var i = 0; i < 20; i++)
        {
            var due = Stopwatch.GetTimestamp() + (long)(milliseconds / 1000 * Stopwatch.Frequency);

            var reached = Pacing.WaitUntil(due, CancellationToken.None);

            Assert.True(reached);
            Assert.True(Stopwatch.GetTimestamp() >= due, "returned before the due time");
        }
    }

    [Fact]
    public void WaitUntil_PastDueTime_ReturnsAtOnce()
    {
        Assert.True(Pacing.WaitUntil(Stopwatch.GetTimestamp() - Stopwatch.Frequency, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void WaitUntil_Cancelled_ReturnsFalseLongBeforeTheDueTime()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var started = Stopwatch.GetTimestamp();

        var reached = Pacing.WaitUntil(started + 60 * Stopwatch.Frequency, cts.Token);

        Assert.False(reached);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30), "cancellation was not noticed");
    }
}

public sealed class ArrivalDispatcherTests
{
    [Fact]
    public async Task Post_ToAnIdleWorker_ResumesItInlineWithTheArrival()
    {
        var dispatcher = new ArrivalDispatcher(4);
        var waiter = new ArrivalWaiter();
        var pending = dispatcher.NextAsync(waiter);
        Assert.False(pending.IsCompleted);
        int? resumedOn = null;
        var worker = Resume(pending, () => resumedOn = Environment.CurrentManagedThreadId);

        dispatcher.Post(42, 0);

        // Inline: the worker ran on this (the posting) thread before Post returned.
        Assert.Equal(Environment.CurrentManagedThreadId, resumedOn);
        Assert.Equal(new Arrival(42, 0), await worker);
        Assert.Equal(0, dispatcher.Pending);
    }

    [Fact]
    public async Task Post_WithNoIdleWorker_QueuesInOrder_ThenCompleteEndsTheQueue()
    {
        var dispatcher = new ArrivalDispatcher(4);
        var waiter = new ArrivalWaiter();
        dispatcher.Post(1, 0);
        dispatcher.Post(2, 1);
        Assert.Equal(2, dispatcher.Pending);

        Assert.Equal(new Arrival(1, 0), await dispatcher.NextAsync(waiter));
        dispatcher.Complete();
        Assert.Equal(new Arrival(2, 1), await dispatcher.NextAsync(waiter));
        Assert.True((await dispatcher.NextAsync(waiter)).IsEnd);
    }

    [Fact]
    public async Task Complete_WakesEveryIdleWorkerWithNoMore()
    {
        var dispatcher = new ArrivalDispatcher(4);
        var first = dispatcher.NextAsync(new ArrivalWaiter());
        var second = dispatcher.NextAsync(new ArrivalWaiter());

        dispatcher.Complete();

        Assert.True((await first).IsEnd);
        Assert.True((await second).IsEnd);
    }

    [Fact]
    public async Task Waiter_IsReusable_AcrossManyArrivals()
    {
        var dispatcher = new ArrivalDispatcher(4);
        var waiter = new ArrivalWaiter();
        for (var i = 0; i < 1000; i++)
        {
            var pending = dispatcher.NextAsync(waiter);
            dispatcher.Post(i, i + 1);
            Assert.Equal(new Arrival(i, i + 1), await pending);
        }
    }

    private static async Task<Arrival> Resume(ValueTask<Arrival> pending, Action onResumed)
    {
        // No captured context (the test framework has one; the load engine's threads have none).
        var value = await pending.ConfigureAwait(false);
        onResumed();
        return value;
    }
}
