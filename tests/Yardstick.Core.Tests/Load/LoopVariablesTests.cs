using Yardstick.Core.Load;

namespace Yardstick.Core.Tests.Load;

/// <summary>
/// The environment variables that choose a load path (<c>YARDSTICK_OPEN_LOOP</c>, <c>YARDSTICK_CLOSED_LOOP</c>): each
/// known value picks its path, and anything else is refused naming the variable and the value, so a typo never
/// silently measures the other path.
/// </summary>
public sealed class LoopVariablesTests
{
    [Theory]
    [InlineData(null, "Loop")]
    [InlineData("", "Loop")]
    [InlineData("loop", "Loop")]
    [InlineData("timerfd", "Timerfd")]
    [InlineData(" Threads ", "Threads")]
    [InlineData("prompt", "Prompt")]
    public void OpenLoop_KnownValues_PickTheirPath(string? value, string expected) =>
        Assert.Equal(expected, ShardRun.ParseOpenLoop(value).ToString());

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("loop", true)]
    [InlineData("TASKS", false)]
    public void ClosedLoop_KnownValues_PickTheirPath(string? value, bool loop) =>
        Assert.Equal(loop, ShardRun.ParseClosedLoop(value));

    [Theory]
    [InlineData("thread")]
    [InlineData("quiet")]
    [InlineData("1")]
    [InlineData("tasks")]
    public void OpenLoop_AnythingElse_RefusedNamingTheVariable(string value)
    {
        var e = Assert.Throws<InputException>(() => ShardRun.ParseOpenLoop(value));

        Assert.Equal("YARDSTICK_OPEN_LOOP", e.Field);
        Assert.Equal($"YARDSTICK_OPEN_LOOP: must be 'loop', 'timerfd', 'prompt' or 'threads', not '{value}'.", e.Describe());
    }

    [Theory]
    [InlineData("task")]
    [InlineData("threads")]
    [InlineData("0")]
    public void ClosedLoop_AnythingElse_RefusedNamingTheVariable(string value)
    {
        var e = Assert.Throws<InputException>(() => ShardRun.ParseClosedLoop(value));

        Assert.Equal("YARDSTICK_CLOSED_LOOP", e.Field);
        Assert.Equal($"YARDSTICK_CLOSED_LOOP: must be 'loop' or 'tasks', not '{value}'.", e.Describe());
    }
}
