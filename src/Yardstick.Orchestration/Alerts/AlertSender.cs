using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yardstick.Core;
using Yardstick.Core.Alerts;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Alerts;

/// <summary>How one send ended: delivered or not, after how many HTTP attempts, and a detail safe to store and log.</summary>
public sealed record AlertSendResult(bool Delivered, int Attempts, string Detail);

/// <summary>
/// Sends one alert to one channel: resolves the channel's <c>${env:NAME}</c> references (with the host's rules), checks the
/// destination against <see cref="YardstickHostOptions.AlertDestinations"/>, POSTs the channel's body, and retries
/// transient failures (connection errors, timeouts, 408, 429, 5xx) three times in all with doubling waits. Never throws
/// for a delivery problem, and never puts a URL, token or exception text from the network into its detail.
/// </summary>
public sealed class AlertSender : IDisposable
{
    private const int MaxAttempts = 3;
    private readonly HttpClient _http;
    private readonly YardstickHostOptions _options;
    private readonly IAlertDeliveryStore _store;
    private readonly TimeProvider _time;

    public AlertSender(YardstickHostOptions options, IAlertDeliveryStore store, TimeProvider time)
    {
        _options = options;
        _store = store;
        _time = time;
        _http = options.AlertDestinations.CreateClient(TimeSpan.FromSeconds(30));
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Yardstick-Alerts/1");

        // A receiver's answer is never needed beyond its status (GitHub's issue number aside): bodies are not buffered.
        _http.MaxResponseContentBufferSize = 1 << 20;
    }

    public async Task<AlertSendResult> SendAsync(AlertChannelSpec channel, string field, AlertMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return channel.Type switch
            {
                AlertChannelType.Github => await SendGithubAsync(channel, field, message, cancellationToken),
                AlertChannelType.Slack => await PostAsync(Resolve(channel.Url, field + ".url"), AlertPayloads.Slack(message), null, cancellationToken),
                AlertChannelType.Teams => await PostAsync(Resolve(channel.Url, field + ".url"), AlertPayloads.Teams(message), null, cancellationToken),
                _ => await PostAsync(Resolve(channel.Url, field + ".url"), AlertPayloads.Webhook(message), null, cancellationToken),
            };
        }
        catch (InputException e)
        {
            // An unset ${env:NAME}: the message names the variable, never a value.
            return new AlertSendResult(false, 0, $"{e.Field}: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The first alert of a workload's condition opens an issue; later ones comment on it (a new issue if it is gone).</summary>
    private async Task<AlertSendResult> SendGithubAsync(AlertChannelSpec channel, string field, AlertMessage message, CancellationToken cancellationToken)
    {
        var token = Resolve(channel.Token, field + ".token");
        var repo = channel.Repo ?? throw new InputException(field + ".repo", "is required for type github.");
        if (repo.Split('/') is not [{ Length: > 0 } owner, { Length: > 0 } name] || owner is "." or ".." || name is "." or "..")
        {
            throw new InputException(field + ".repo", "is not owner/name.");
        }

        // Each segment escaped: whatever the name holds stays inside /repos/{owner}/{repo}.
        var repoPath = $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}";
        var thread = $"{message.Workload}|{message.ConditionName}|{repo.ToLowerInvariant()}";
        if (await _store.GetIssueAsync(thread, cancellationToken) is { } issue)
        {
            var comment = await PostAsync(new Uri(_options.GitHubApi, $"{repoPath}/issues/{issue}/comments").ToString(), AlertPayloads.GithubComment(message), token, cancellationToken);
            if (comment.Delivered || comment.Detail is not ("HTTP 404" or "HTTP 410"))
            {
                return comment with { Detail = comment.Delivered ? $"commented on issue #{issue}" : comment.Detail };
            }
        }

        var created = await PostAsync(new Uri(_options.GitHubApi, $"{repoPath}/issues").ToString(), AlertPayloads.GithubIssue(message), token, cancellationToken, readNumber: true);
        if (created.Delivered && int.TryParse(created.Detail, out var number))
        {
            await _store.SetIssueAsync(thread, number, cancellationToken);
            return created with { Detail = $"opened issue #{number}" };
        }

        return created;
    }

    private async Task<AlertSendResult> PostAsync(string url, JsonObject body, string? bearer, CancellationToken cancellationToken, bool readNumber = false)
    {
        if (_options.AlertDestinations.Refusal(url) is { } refusal)
        {
            return new AlertSendResult(false, 0, "refused: " + refusal);
        }

        var delay = _options.AlertRetryDelay;
        var detail = "";
        for (var attempt = 1; ; attempt++)
        {
            bool retry;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
                if (bearer is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    request.Headers.Accept.ParseAdd("application/vnd.github+json");
                    request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var number = readNumber ? await ReadNumberAsync(response, cancellationToken) : null;
                    return new AlertSendResult(true, attempt, number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "delivered");
                }

                var status = (int)response.StatusCode;
                detail = $"HTTP {status}";
                retry = status is 408 or 429 or >= 500;
            }
            catch (HttpRequestException e) when (e.InnerException is AlertDestinationRefusedException refused)
            {
                return new AlertSendResult(false, attempt, "refused: " + refused.Message);
            }
            catch (HttpRequestException e)
            {
                detail = $"connection failed ({e.HttpRequestError})";
                retry = true;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                detail = "timed out after 30 s";
                retry = true;
            }

            if (!retry || attempt == MaxAttempts)
            {
                return new AlertSendResult(false, attempt, attempt == 1 ? detail : $"{detail} after {attempt} attempts");
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay *= 2;
        }
    }

    private static async Task<int?> ReadNumberAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            return json?["number"]?.GetValue<int>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private string Resolve(string? value, string field) =>
        value is null ? throw new InputException(field, "is not set.") : SecretReferences.Resolve(value, field, _options.Environment);
}
