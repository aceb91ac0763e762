using System.Diagnostics;
using System.Net;

namespace Yardstick.SampleTarget.Tests;

/// <summary>The endpoints of the sample target over real HTTP on loopback. Durations get generous lower bounds only.</summary>
public sealed class SampleAppTests
{
    [Fact]
    public async Task Hello_Get_Returns200WithGreetingAndHeaders()
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello from Yardstick's sample target", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(target.Host.InstanceId, RunningTarget.InstanceId(response));
        Assert.True(RunningTarget.ServerDurationMs(response) >= 0);
    }

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/api/nope", HttpStatusCode.NotFound)]
    [InlineData("/elsewhere", HttpStatusCode.NotFound)]
    public async Task OtherPaths_Get_RootIsOkAndTheRestNotFound_StillWithHeaders(string path, HttpStatusCode expected)
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(target.Host.InstanceId, RunningTarget.InstanceId(response));
        RunningTarget.ServerDurationMs(response);
    }

    [Fact]
    public async Task Work_WithMs_TakesAtLeastThatLongOnBothClocks()
    {
        const int workMs = 300;
        await using var target = await RunningTarget.StartAsync();

        var started = Stopwatch.GetTimestamp();
        using var response = await target.Client.GetAsync(new Uri($"/api/work?ms={workMs}", UriKind.Relative));
        var clientMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        // 10% below the wait: timer granularity only; a loaded machine makes it slower, never faster.
        Assert.True(clientMs >= workMs * 0.9, $"client saw {clientMs:0.0} ms for ms={workMs}");
        var serverMs = RunningTarget.ServerDurationMs(response);
        Assert.True(serverMs >= workMs * 0.9, $"Server-Timing dur={serverMs} for ms={workMs}");
    }

    [Fact]
    public async Task Work_NegativeMs_IsClampedToNoWait()
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri("/api/work?ms=-5", UriKind.Relative));

        // Clamped to 0 rather than rejected: the app answers, it does not fail on a silly query.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Reference digests: first 8 bytes of SHA-256 applied N times to 32 zero bytes, computed with Python's hashlib
    // (b = bytes(32); repeat N: b = sha256(b).digest(); b[:8].hex()). Exact match, no tolerance.
    [Theory]
    [InlineData(0, "0000000000000000")]
    [InlineData(1, "66687AADF862BD77")]
    [InlineData(1000, "36C1CB4F826AE42C")]
    public async Task Cpu_WithIterations_ReportsTheDigestOfExactlyThatWork(int iterations, string expectedDigest)
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri($"/api/cpu?iterations={iterations}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedDigest, await response.Content.ReadAsStringAsync());
        RunningTarget.ServerDurationMs(response);
    }

    [Fact]
    public async Task Cpu_WithoutIterations_Does1000()
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri("/api/cpu", UriKind.Relative));

        Assert.Equal("36C1CB4F826AE42C", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("0.1", 1000, 100)]
    [InlineData("0.25", 400, 100)]
    [InlineData("0", 200, 0)]
    [InlineData("1", 200, 200)]
    [InlineData("7", 50, 50)] // clamped to 1
    public async Task Fail_WithRate_FailsExactlyThatShareSpreadEvenly(string rate, int requests, int expectedFailures)
    {
        // The app documents deterministic failures (request n fails when floor((n+1)·rate) > floor(n·rate)), so the count
        // is exact, not statistical.
        await using var target = await RunningTarget.StartAsync();

        var failed = new bool[requests];
        for (var n = 0; n < requests; n++)
        {
            using var response = await target.Client.GetAsync(new Uri($"/api/fail?rate={rate}", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            failed[n] = response.StatusCode == HttpStatusCode.InternalServerError;
            Assert.True(failed[n] || response.StatusCode == HttpStatusCode.OK, $"request {n}: {response.StatusCode}");
            Assert.Equal(failed[n] ? "simulated failure" : "ok", body);
        }

        Assert.Equal(expectedFailures, failed.Count(f => f));
        if (rate == "0.1")
        {
            // Evenly spread: exactly one failure in every block of ten (the tenth request of each block).
            for (var block = 0; block < requests / 10; block++)
            {
                Assert.Equal(1, failed.Skip(block * 10).Take(10).Count(f => f));
                Assert.True(failed[(block * 10) + 9], $"block {block}: the failure is not its last request");
            }
        }
    }

    [Fact]
    public async Task Fail_ConcurrentRequests_StillExactShare()
    {
        // The counter is shared and atomic: concurrency changes which request fails, not how many.
        await using var target = await RunningTarget.StartAsync();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await target.Client.GetAsync(new Uri("/api/fail?rate=0.1", UriKind.Relative));
            return response.StatusCode;
        }));

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.InternalServerError));
        Assert.Equal(180, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task Fail_WithoutRate_Uses10Percent()
    {
        await using var target = await RunningTarget.StartAsync();

        var failures = 0;
        for (var n = 0; n < 100; n++)
        {
            using var response = await target.Client.GetAsync(new Uri("/api/fail", UriKind.Relative));
            failures += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.Equal(10, failures);
    }

    [Fact]
    public async Task Stall_WithoutAdmin_IsNotFound_AndStallsNothing()
    {
        await using var target = await RunningTarget.StartAsync();

        using var stall = await target.Client.GetAsync(new Uri("/api/stall?ms=60000", UriKind.Relative));
        var started = Stopwatch.GetTimestamp();
        using var hello = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, stall.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30), "a refused stall still held a request");
    }

    [Fact]
    public async Task Stall_WithMs_HoldsLaterApiRequestsUntilItEnds()
    {
        const int stallMs = 600;
        await using var target = await RunningTarget.StartAsync(new SampleTargetOptions { Admin = true });

        var beforeStall = Stopwatch.GetTimestamp();
        using (var stall = await target.Client.GetAsync(new Uri($"/api/stall?ms={stallMs}", UriKind.Relative)))
        {
            // The stall request itself answers at once; it is the requests after it that wait.
            Assert.Equal(HttpStatusCode.OK, stall.StatusCode);
        }

        using var held = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        var sinceStallMs = Stopwatch.GetElapsedTime(beforeStall).TotalMilliseconds;

        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        // The stall ends stallMs after the server handled the stall request, which is after beforeStall.
        Assert.True(sinceStallMs >= stallMs * 0.9, $"hello answered {sinceStallMs:0.0} ms after the stall began");
        RunningTarget.ServerDurationMs(held);
    }

    [Fact]
    public async Task InstanceId_ManyRequestsAndEndpoints_SameWithinAProcessAndNewPerHost()
    {
        await using var first = await RunningTarget.StartAsync();
        await using var second = await RunningTarget.StartAsync();

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in new[] { "/api/hello", "/api/work?ms=0", "/api/cpu?iterations=1", "/api/fail?rate=1", "/", "/nope" })
        {
            using var response = await first.Client.GetAsync(new Uri(path, UriKind.Relative));
            seen.Add(RunningTarget.InstanceId(response));
        }

        using var other = await second.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal(first.Host.InstanceId, Assert.Single(seen));
        Assert.False(string.IsNullOrWhiteSpace(first.Host.InstanceId));
        Assert.NotEqual(first.Host.InstanceId, RunningTarget.InstanceId(other));
    }

    [Fact]
    public async Task InstanceId_Option_IsSentAsGiven()
    {
        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(["--instance-id", "blue-7"]));

        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal("blue-7", RunningTarget.InstanceId(response));
    }
}
