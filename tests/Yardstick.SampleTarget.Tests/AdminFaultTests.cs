using System.Diagnostics;
using System.Net;

namespace Yardstick.SampleTarget.Tests;

/// <summary>
/// The fault toggles <c>/admin/stall</c> and <c>/admin/fail</c>: opt-in, bounded, timed. Waits are far above or below the
/// thresholds so a slow machine cannot flip an outcome; durations get lower bounds only.
/// </summary>
public sealed class AdminFaultTests
{
    private static readonly SampleTargetOptions AdminOn = new() { Admin = true };

    [Theory]
    [InlineData("/admin/stall?ms=500&for=5s")]
    [InlineData("/admin/fail?rate=1&for=5s")]
    [InlineData("/admin/clear")]
    public async Task Admin_WithoutTheOption_IsNotFoundAndChangesNothing(string path)
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.PostAsync(new Uri(path, UriKind.Relative), null);
        using var hello = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.False(target.Host.App.AdminStallActive);
        Assert.False(target.Host.App.AdminFailActive);
    }

    [Fact]
    public async Task Admin_Get_IsMethodNotAllowed()
    {
        await using var target = await RunningTarget.StartAsync(AdminOn);

        using var response = await target.Client.GetAsync(new Uri("/admin/stall?ms=100&for=1s", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(target.Host.App.AdminStallActive);
    }

    [Fact]
    public async Task Stall_AddsItsWaitToEveryApiRequestWhileOn_ThenStops()
    {
        const int stallMs = 400;
        await using var target = await RunningTarget.StartAsync(AdminOn);

        using (var toggle = await target.Client.PostAsync(new Uri($"/admin/stall?ms={stallMs}&for=1500ms", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, toggle.StatusCode);
            Assert.Contains($"\"stallMs\":{stallMs}", await toggle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var stalled = await TimedHelloAsync(target);
        Assert.True(stalled.Ms >= stallMs * 0.9, $"a request during the stall took {stalled.Ms:0.0} ms, not the {stallMs} ms stall");
        Assert.Equal(HttpStatusCode.OK, stalled.Status);

        await Task.Delay(2_000);
        Assert.False(target.Host.App.AdminStallActive);
        var after = await TimedHelloAsync(target);
        Assert.True(after.Ms < stallMs * 0.9, $"a request after the stall ended took {after.Ms:0.0} ms");
    }

    [Fact]
    public async Task Fail_AnswersThatShareWith503WhileOn_ThenStops()
    {
        await using var target = await RunningTarget.StartAsync(AdminOn);

        using (var toggle = await target.Client.PostAsync(new Uri("/admin/fail?rate=0.5&for=1m", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, toggle.StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await TimedHelloAsync(target)).Status);
        }

        // Spread evenly like /api/fail: exactly every second request of the window.
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));

        using (var clear = await target.Client.PostAsync(new Uri("/admin/clear", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }

        Assert.False(target.Host.App.AdminFailActive);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TimedHelloAsync(target)).Status);
        }
    }

    [Theory]
    [InlineData("/admin/stall?ms=-1&for=1s", "ms:")]
    [InlineData("/admin/stall?ms=60001&for=1s", "ms:")]
    [InlineData("/admin/stall?ms=abc&for=1s", "ms:")]
    [InlineData("/admin/stall?ms=100", "for:")]
    [InlineData("/admin/stall?ms=100&for=11m", "for:")]
    [InlineData("/admin/stall?ms=100&for=0s", "for:")]
    [InlineData("/admin/fail?rate=1.5&for=1s", "rate:")]
    [InlineData("/admin/fail?rate=-0.1&for=1s", "rate:")]
    [InlineData("/admin/fail?rate=NaN&for=1s", "rate:")]
    [InlineData("/admin/fail?rate=0.5&for=soon", "for:")]
    public async Task Toggle_OutOfBounds_Is400NamingTheParameterAndChangesNothing(string path, string parameter)
    {
        await using var target = await RunningTarget.StartAsync(AdminOn);

        using var response = await target.Client.PostAsync(new Uri(path, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"error\":\"{parameter}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(target.Host.App.AdminStallActive);
        Assert.False(target.Host.App.AdminFailActive);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("750", 750)]
    public void TryParseDuration_KnownUnits(string text, int expectedMs)
    {
        Assert.True(SampleApp.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5h")]
    [InlineData("s")]
    public void TryParseDuration_Nonsense_IsRefused(string text) => Assert.False(SampleApp.TryParseDuration(text, out _));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void Parse_AdminVariable_TurnsAdminOn(string? value, bool expected)
    {
        Assert.Equal(expected, SampleTargetOptions.Parse([], name => name == SampleTargetOptions.AdminVariable ? value : null).Admin);
        Assert.True(SampleTargetOptions.Parse(["--admin"]).Admin);
        Assert.False(SampleTargetOptions.Parse([]).Admin);
    }

    [Fact]
    public void Parse_BadAdminVariable_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse([], name => name == SampleTargetOptions.AdminVariable ? "yes" : null));
        Assert.Contains(SampleTargetOptions.AdminVariable, error.Message, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, double Ms)> TimedHelloAsync(RunningTarget target)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        return (response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
