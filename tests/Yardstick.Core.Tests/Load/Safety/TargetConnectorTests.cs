using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load.Safety;

/// <summary>
/// The policy is applied to the addresses actually dialled: an allow-listed NAME that resolves to loopback (here the
/// name <c>localhost</c>, as a rebinding DNS answer would) never gets a connection on a deployed host, through either
/// transport or a probe client.
/// </summary>
public sealed class TargetConnectorTests
{
    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task Exchange_DeployedPolicyListedNameResolvesToLoopback_ConnectFailedAndNothingReachesTheServer(TransportKind kind)
    {
        await using var server = new RawHttpServer(ServeOkAsync);
        var request = new RequestTemplate { Method = "GET", Url = $"http://localhost:{server.Port}/api/hello", Transport = kind };
        await using var transport = HttpTransportFactory.Create(request, new TransportOptions { Policy = TargetPolicy.ForDeployedHost("localhost") });
        await using var connection = transport.CreateConnection();

        var result = await connection.ExchangeAsync(CancellationToken.None);

        Assert.Equal(ExchangeOutcome.ConnectFailed, result.Outcome);
        Assert.Contains("loopback or private-network address", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Accepted);
    }

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task Exchange_DeployedPolicyListingTheLiteralAddress_Connects(TransportKind kind)
    {
        await using var server = new RawHttpServer(ServeOkAsync);
        var request = new RequestTemplate { Method = "GET", Url = $"http://localhost:{server.Port}/api/hello", Transport = kind };
        await using var transport = HttpTransportFactory.Create(request, new TransportOptions { Policy = TargetPolicy.ForDeployedHost("localhost,127.0.0.1,::1") });
        await using var connection = transport.CreateConnection();

        var result = await connection.ExchangeAsync(CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task ProbeClient_DeployedPolicy_RefusesLoopbackNameAndAllowsListedLiteral()
    {
        await using var server = new RawHttpServer(ServeOkAsync);
        using var refused = TargetConnector.CreateProbeClient(TargetPolicy.ForDeployedHost("localhost"), TimeSpan.FromSeconds(30));
        using var allowed = TargetConnector.CreateProbeClient(TargetPolicy.ForDeployedHost("127.0.0.1"), TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync($"http://localhost:{server.Port}/ready"));
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(0, server.Accepted);

        using var response = await allowed.GetAsync($"http://127.0.0.1:{server.Port}/ready");
        Assert.Equal(200, (int)response.StatusCode);
    }

    private static async Task ServeOkAsync(RawConnection connection)
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        }
    }
}
