using Azure.Core;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Remote;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>HTTP behaviour of the remote client: errors, retries, what is never retried, and credentials.</summary>
public sealed class YardstickApiClientTests
{
    private const string GateRoute = "POST /api/gate";

    [Fact]
    public async Task Gate_401_NamesTheKeyVariableAndDoesNotRetry()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(401));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var error = bed.Error.ToString();
        Assert.Contains("401", error, StringComparison.Ordinal);
        Assert.Contains("the function key was rejected (set YARDSTICK_FUNCTION_KEY", error, StringComparison.Ordinal);
        Assert.Single(bed.Api.Requests);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task Gate_401WithoutKey_SaysNoCredentialsWereSent()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Environment.Clear();
        bed.Api.On(GateRoute, new ScriptedAnswer(401));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("no credentials were sent; set YARDSTICK_FUNCTION_KEY", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Null(Assert.Single(bed.Api.Requests).Header("x-functions-key"));
    }

    [Fact]
    public async Task Gate_403_NamesThePermissionFromTheProblemAndTheHint()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Problem(403, "Forbidden", "the caller lacks the app role Yardstick.Gate"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var error = bed.Error.ToString();
        Assert.Contains("403", error, StringComparison.Ordinal);
        Assert.Contains("Yardstick.Gate", error, StringComparison.Ordinal);
        Assert.Contains("access restrictions", error, StringComparison.Ordinal);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task Gate_404_SaysNoYardstickApiAtTheEndpoint()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(404));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"no Yardstick API at {bed.Api.Endpoint} (is the app deployed? route /api/runs", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" }), FakeYardstickApi.Finished("r-101", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Pass, exit);
        var posts = bed.Api.RequestsTo(GateRoute);
        Assert.Equal(2, posts.Count);
        // Behaviour, not timing: the client must not come back before the server said it may (1 s; 0.9 s for clock granularity).
        var waited = posts[1].ArrivedAt - posts[0].ArrivedAt;
        Assert.True(waited >= TimeSpan.FromMilliseconds(900), $"retried after {waited.TotalMilliseconds:0} ms, before Retry-After: 1");
        // Same request id on both attempts, so a server can recognise the repeat.
        Assert.Equal(posts[0].Header(YardstickApiClient.RequestIdHeader), posts[1].Header(YardstickApiClient.RequestIdHeader));
        Assert.NotNull(posts[0].Header(YardstickApiClient.RequestIdHeader));
        // ...and as the Idempotency-Key, so the app answers the repeat with the run the first attempt reserved.
        Assert.Equal(posts[0].Header(YardstickApiClient.RequestIdHeader), posts[0].Header(YardstickApiClient.IdempotencyKeyHeader));
        Assert.Equal(posts[0].Header(YardstickApiClient.IdempotencyKeyHeader), posts[1].Header(YardstickApiClient.IdempotencyKeyHeader));
    }

    [Fact]
    public async Task Gate_RetryAfterAsHttpDate_IsHonoured()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        var date = DateTimeOffset.UtcNow.AddSeconds(2).ToString("r");
        bed.Api.On(GateRoute, new ScriptedAnswer(503, Headers: new Dictionary<string, string> { ["Retry-After"] = date }), FakeYardstickApi.Finished("r-102", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Pass, exit);
        var posts = bed.Api.RequestsTo(GateRoute);
        // An HTTP-date has whole-second precision: at least ~1 s remained when the 503 was sent.
        Assert.True(posts[1].ArrivedAt - posts[0].ArrivedAt >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Gate_503ThenAccepted_RetriesTheStart()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(503), new ScriptedAnswer(503), FakeYardstickApi.Finished("r-103", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Equal(3, bed.Api.RequestsTo(GateRoute).Count);
    }

    [Fact]
    public async Task Gate_500OnStart_IsNotRetriedAndNamesTheRequestId()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Problem(500, "Internal Server Error"), FakeYardstickApi.Finished("r-104", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.RunFailed, exit);
        var post = Assert.Single(bed.Api.RequestsTo(GateRoute));
        Assert.Contains($"may have started the run anyway (request id {post.Header(YardstickApiClient.RequestIdHeader)})", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_ConnectionDroppedAfterSendingStart_IsNotRetried()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(0, Abort: true), FakeYardstickApi.Finished("r-105", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Single(bed.Api.RequestsTo(GateRoute));
        Assert.Contains("after the request was sent", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("request id", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_5xxAndDroppedConnection_AreRetried()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-106"))
            .On("GET /api/runs/r-106", new ScriptedAnswer(502), new ScriptedAnswer(0, Abort: true), new ScriptedAnswer(500), FakeYardstickApi.Finished("r-106", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Equal(4, bed.Api.RequestsTo("GET /api/runs/r-106").Count);
    }

    [Fact]
    public async Task Status_5xxBeyondTheAttemptLimit_Exit3NamingTheRun()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-107"))
            .On("GET /api/runs/r-107", Enumerable.Range(0, 10).Select(_ => new ScriptedAnswer(500)).ToArray());

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection(RemoteTestBed.FastHttp with { MaxAttempts = 3 }) });

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Equal(3, bed.Api.RequestsTo("GET /api/runs/r-107").Count);
        Assert.Contains("polling run r-107", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_ProblemJson400_Exit2ListingTheFields()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Problem(400, "The workload is not valid", null,
            ("target.headers.x-functions-key", "environment variable 'YARDSTICK_TEST_SERVER_ONLY_SECRET' is not set"),
            ("target.url", "host 127.0.0.1 is not on the allow-list")));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var error = bed.Error.ToString();
        Assert.Contains("The workload is not valid", error, StringComparison.Ordinal);
        Assert.Contains("  target.headers.x-functions-key: environment variable", error, StringComparison.Ordinal);
        Assert.Contains("  target.url: host 127.0.0.1 is not on the allow-list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MalformedJson_Exit3NamingTheEndpoint()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(200, "<html>Your Functions 4.0 app is up and running</html>", "text/html"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains($"{bed.Api.Endpoint} answered 200 with a body that is not the Yardstick API's JSON (text/html", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_Redirect_IsNotFollowed()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, new ScriptedAnswer(307, Headers: new Dictionary<string, string> { ["Location"] = "https://login.example.invalid/?code=zzz" }));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var error = bed.Error.ToString();
        Assert.Contains("redirects to https://login.example.invalid/?code=***", error, StringComparison.Ordinal);
        Assert.Single(bed.Api.Requests);
    }

    [Fact]
    public async Task Gate_ConnectionRefused_RetriedThenClearError()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        var closedPort = TestPorts.Closed();

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection(RemoteTestBed.FastHttp with { MaxAttempts = 3 }, $"http://127.0.0.1:{closedPort}") });

        Assert.Equal(ExitCodes.RunFailed, exit);
        var error = bed.Error.ToString();
        Assert.Contains($"cannot reach http://127.0.0.1:{closedPort}/api/gate", error, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_FunctionKeyEnvNamingAnUnsetVariable_Exit2BeforeAnyRequest()
    {
        await using var bed = await RemoteTestBed.StartAsync();

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection() with { FunctionKeyVariable = "YARDSTICK_TEST_NO_SUCH_KEY" } });

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--function-key-env: environment variable 'YARDSTICK_TEST_NO_SUCH_KEY' is not set", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(bed.Api.Requests);
    }

    [Fact]
    public async Task Gate_FunctionKeyEnv_SendsThatVariablesKey()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Environment["PIPELINE_KEY"] = "fk-SECRET-from-pipeline\n";
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-108", "equivalent"));

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection() with { FunctionKeyVariable = "PIPELINE_KEY" } });

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Equal("fk-SECRET-from-pipeline", Assert.Single(bed.Api.Requests).Header("x-functions-key"));
        Assert.DoesNotContain("fk-SECRET", bed.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_TokenScope_SendsBearerTokenAndNeverPrintsIt()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-109"))
            .On("GET /api/runs/r-109", FakeYardstickApi.Running("r-109"), FakeYardstickApi.Finished("r-109", "equivalent"));
        var credential = new RecordingCredential();

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection() with { TokenScope = "api://yardstick-test/.default", Credential = credential } });

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.All(bed.Api.Requests, r => Assert.Equal("Bearer tok-SECRET-1", r.Header("Authorization")));
        // The token is cached while valid, not fetched per request.
        Assert.Equal(1, credential.Calls);
        Assert.Equal("api://yardstick-test/.default", credential.LastScope);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task Gate_401WithToken_NamesTheScope()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Environment.Clear();
        bed.Api.On(GateRoute, new ScriptedAnswer(401));

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection() with { TokenScope = "api://yardstick-test/.default", Credential = new RecordingCredential() } });

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("the Entra token for scope 'api://yardstick-test/.default' was rejected", bed.Error.ToString(), StringComparison.Ordinal);
        bed.AssertNoSecrets();
    }

    /// <summary>Entra cannot be reached from tests; this stands in for DefaultAzureCredential and counts the calls.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public int Calls { get; private set; }

        public string? LastScope { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            LastScope = requestContext.Scopes.Single();
            return ValueTask.FromResult(new AccessToken($"tok-SECRET-{Calls}", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
