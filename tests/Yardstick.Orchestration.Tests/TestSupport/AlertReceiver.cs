using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>One request an <see cref="AlertReceiver"/> got: method, path, the Authorization header and the JSON body.</summary>
internal sealed record ReceivedAlert(string Method, string Path, string? Authorization, string? Accept, JsonNode? Body);

/// <summary>
/// A real HTTP server on http://127.0.0.1:{free port} standing in for Slack, Teams, a webhook or the GitHub API: it
/// records every request and answers with what <c>respond</c> says (status and JSON body).
/// </summary>
internal sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly ConcurrentQueue<ReceivedAlert> _received = new();

    private AlertReceiver(WebApplication web) => _web = web;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedAlert> Received => [.. _received];

    public static async Task<AlertReceiver> StartAsync(Func<ReceivedAlert, (int Status, string? Json)>? respond = null)
    {
        respond ??= _ => (200, null);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        var receiver = new AlertReceiver(web);
        web.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            var received = new ReceivedAlert(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                context.Request.Headers.Accept.ToString(),
                text.Length == 0 ? null : JsonNode.Parse(text));
            receiver._received.Enqueue(received);
            var (status, json) = respond(received);
            context.Response.StatusCode = status;
            if (json is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json, context.RequestAborted);
            }
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
