using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Yardstick.Azure.Rest;

namespace Yardstick.Azure.WebApps;

/// <summary>
/// Waits for ARM long-running operations: a 201/202 with <c>Azure-AsyncOperation</c> (poll until
/// <c>status</c> is terminal) or <c>Location</c> (poll until it stops answering 202). Polls only URLs on the
/// endpoint's own host, so the bearer token never goes elsewhere.
/// </summary>
internal sealed class ArmOperations(AzureRestPipeline pipeline, WebAppsClientOptions options, TimeProvider time)
{
    public async Task WaitAsync(AzureRestResponse response, CancellationToken cancellationToken)
    {
        if (response.Status is not (201 or 202))
        {
            return;
        }

        var asyncOperation = Header(response, "Azure-AsyncOperation");
        var location = Header(response, "Location");
        var pollUri = asyncOperation ?? location;
        if (pollUri is null)
        {
            return;
        }

        if (!AzureUris.SameOrigin(options.Endpoint, pollUri))
        {
            throw new AzureApiException(pipeline.Api.Name, response.Status, "UnexpectedOperationHost", null, response.RequestId,
                $"{pipeline.Api.Name}: the operation status URL points at {pollUri.Host}, not {options.Endpoint.Host}; not following it");
        }

        var deadline = time.GetUtcNow() + options.OperationTimeout;
        var last = response;
        while (true)
        {
            await Task.Delay(RetryAfter(last) ?? options.PollInterval, time, cancellationToken);
            last = await pipeline.SendAsync(RequestMethod.Get, pollUri, null, cancellationToken);
            if (asyncOperation is not null)
            {
                using var json = last.Json();
                var status = JsonRead.String(json.RootElement, "status");
                if (string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                if (status is not null && (status.Equals("Failed", StringComparison.OrdinalIgnoreCase) || status.Equals("Canceled", StringComparison.OrdinalIgnoreCase)))
                {
                    var error = JsonRead.Property(json.RootElement, "error") is { ValueKind: JsonValueKind.Object } e ? e : default;
                    var code = error.ValueKind == JsonValueKind.Object ? JsonRead.String(error, "code") : null;
                    var message = error.ValueKind == JsonValueKind.Object ? JsonRead.String(error, "message") : null;
                    throw new AzureApiException(pipeline.Api.Name, last.Status, code, message, last.RequestId,
                        $"{pipeline.Api.Name}: the operation ended {status}" + (code is null ? "" : $" ({code})") + (message is null ? "" : $": {message}"));
                }
            }
            else if (last.Status != 202)
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{pipeline.Api.Name}: the operation did not finish within {options.OperationTimeout}");
            }
        }
    }

    private static Uri? Header(AzureRestResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static TimeSpan? RetryAfter(AzureRestResponse response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 60))
            : null;
}
