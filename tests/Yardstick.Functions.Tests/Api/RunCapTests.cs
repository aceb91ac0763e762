using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Yardstick.Core;
using Yardstick.Functions.Api;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// The cap on runs carried at once, asked of the real Durable engine (in memory): at the cap, starts answer 429
/// problem+json with Retry-After and schedule nothing; a finished run makes room again; a repeated Idempotency-Key
/// answers for its run whatever the count.
/// </summary>
public sealed class RunCapTests : IAsyncLifetime
{
    private const string Workload = "cap-api";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RunsApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string> { ["cap.yaml"] = TestWorkloads.Valid(Workload) }, maxConcurrentRuns: 2, time: _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Start_AtTheCap_429WithRetryAfter_NothingScheduled_RoomAgainWhenARunFinishes()
    {
        var first = await StartAsync("/api/runs", "k1");
        await StartAsync("/api/runs", null);
        var before = await CountAsync();

        using var run = await PostAsync("/api/runs", null);
        using var gate = await PostAsync("/api/gate", null);
        using var repeated = await PostAsync("/api/runs", "k1");

        foreach (var refused in new[] { run, gate })
        {
            var problem = await RunsApiStartTests.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.Equal(AppSettings.MaxConcurrentRuns, (string?)problem["errors"]![0]!["field"]);
            Assert.Equal(TimeSpan.FromSeconds(RunCapacity.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(before, await CountAsync());
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(first, (string?)(await RunsApiStartTests.ReadJsonAsync(repeated))["runId"]);

        await _server.Client.RaiseEventAsync(first, RunsApiServer.FinishEvent, new RunOutcome { RunId = first, Workload = Workload });
        await _server.Client.WaitForInstanceCompletionAsync(first);
        using var again = await PostAsync("/api/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task Start_RunsOlderThanTheWindowStillRunning_HoldNoPlace()
    {
        await StartAsync("/api/runs", null);
        await StartAsync("/api/runs", null);
        using (var refused = await PostAsync("/api/runs", null))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // Two days on, the two runs are still "running" (stuck: no run lasts that long): they no longer count.
        _time.Advance(RunCapacity.Window + TimeSpan.FromMinutes(1));
        using var accepted = await PostAsync("/api/runs", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Theory]
    [InlineData(null, FunctionsHostSettings.DefaultMaxConcurrentRuns)]
    [InlineData("1", 1)]
    [InlineData("12", 12)]
    public void WithRunCap_Setting_ReplacesTheDefault(string? setting, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.MaxConcurrentRuns] = setting }).Build();

        Assert.Equal(expected, FunctionsServices.WithRunCap(new FunctionsHostSettings(), configuration).MaxConcurrentRuns);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1001")]
    [InlineData("four")]
    public void WithRunCap_BadSetting_NamesTheSetting(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.MaxConcurrentRuns] = setting }).Build();

        var error = Assert.Throws<InputException>(() => FunctionsServices.WithRunCap(new FunctionsHostSettings(), configuration));
        Assert.Equal(AppSettings.MaxConcurrentRuns, error.Field);
    }

    private async Task<string> StartAsync(string path, string? key)
    {
        using var response = await PostAsync(path, key);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await RunsApiStartTests.ReadJsonAsync(response))["runId"]!;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(path.EndsWith("gate", StringComparison.Ordinal) ? new { workload = Workload, budgetSeconds = (int?)1 } : new { workload = Workload, budgetSeconds = (int?)null }),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotentStarts.Header, key);
        }

        return await _server.Http.SendAsync(request);
    }

    private async Task<int> CountAsync()
    {
        var count = 0;
        await foreach (var _ in _server.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }
}
