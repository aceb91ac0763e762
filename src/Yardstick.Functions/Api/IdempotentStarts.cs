using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Api;

/// <summary>A run the API answered for: started by this request, or (a repeated <c>Idempotency-Key</c>) by an earlier one.</summary>
public sealed record StartedRun(string RunId, bool Replayed);

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/runs</c>, <c>/api/sweeps</c> and <c>/api/gate</c>: a retried request (same caller,
/// same endpoint, same key) answers for the run the first one started instead of starting another. The key's claim —
/// the first request's run id and a hash of what it asked for — is an atomic insert in the results storage's
/// <c>Idempotency</c> table (see <see cref="IIdempotencyStore"/>), made before anything is scheduled, so concurrent
/// retries cannot start two runs. The same key with a different request is refused with 422 naming the header. Every
/// new start first asks <see cref="RunCapacity"/> for room (429 beyond the cap); answers for an existing run never do.
/// </summary>
public sealed partial class IdempotentStarts(IIdempotencyStore store, RunStarter starter, RunCapacity capacity, TimeProvider time)
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set to <c>true</c> on answers for a run an earlier request with the same key started.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxKeyLength = 128;

    /// <summary>The request's key, checked (1–128 of <c>A–Z a–z 0–9 . _ : + / = -</c>; a quoted form is unquoted); null without one.</summary>
    /// <exception cref="InputException">More than one key, or a key that is empty, too long or has other characters.</exception>
    public static string? ReadKey(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new InputException(Header, "is given more than once; send one key per request.");
        }

        var key = values[0] ?? "";
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }

        return KeyPattern().IsMatch(key)
            ? key
            : throw new InputException(Header, $"must be 1 to {MaxKeyLength} characters of letters, digits and . _ : + / = - (a UUID is a good key).");
    }

    /// <summary>
    /// Schedules <paramref name="run"/>, or — when <paramref name="key"/> was used before by this caller on this
    /// endpoint — answers for the run it started (starting that run now if the first request stopped before it did).
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different request.</exception>
    public async Task<StartedRun> StartAsync(HttpRequest request, string endpoint, string? key, StartRunBody body, PreparedRun run, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            await capacity.EnsureRoomAsync(client, cancellationToken);
            await starter.ScheduleAsync(client, run, cancellationToken);
            return new StartedRun(run.Request.RunId, Replayed: false);
        }

        var requestHash = RequestHash(endpoint, body);
        var claim = await store.ClaimAsync(KeyHash(request, endpoint, key), new IdempotencyClaim(run.Request.RunId, requestHash, time.GetUtcNow()), cancellationToken);
        if (!string.Equals(claim.RequestHash, requestHash, StringComparison.Ordinal))
        {
            throw new IdempotencyKeyReusedException(endpoint);
        }

        if (claim.RunId == run.Request.RunId)
        {
            // Refused here, the claim stays: a retry with the key schedules this same run once there is room (below).
            await capacity.EnsureRoomAsync(client, cancellationToken);
            await ScheduleOnceAsync(client, run, cancellationToken);
            return new StartedRun(run.Request.RunId, Replayed: false);
        }

        if (await client.GetInstanceAsync(claim.RunId, cancellationToken) is null)
        {
            // The first request recorded its claim but stopped (or was refused for the cap) before scheduling: the request is
            // the same, so its run is this one.
            await capacity.EnsureRoomAsync(client, cancellationToken);
            await ScheduleOnceAsync(client, run with { Request = run.Request with { RunId = claim.RunId } }, cancellationToken);
        }

        return new StartedRun(claim.RunId, Replayed: true);
    }

    /// <summary>
    /// Schedules the claimed run id; a concurrent retry that scheduled it first (the task hub refuses a second start of a
    /// pending or running instance) is not a failure. Anything else is.
    /// </summary>
    private async Task ScheduleOnceAsync(DurableTaskClient client, PreparedRun run, CancellationToken cancellationToken)
    {
        try
        {
            await starter.ScheduleAsync(client, run, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(run.Request.RunId, cancellationToken) is null)
            {
                throw;
            }
        }
    }

    /// <summary>
    /// Who is asking: a hash of the function key the request presented (<c>x-functions-key</c> or <c>?code=</c>), so one
    /// caller's keys never answer for another's runs. Keys themselves are never stored.
    /// </summary>
    private static string KeyHash(HttpRequest request, string endpoint, string key)
    {
        var functionKey = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault() ?? "";
        return Hash($"idempotency-key\n{endpoint}\n{Hash(functionKey)}\n{key}");
    }

    /// <summary>What the request asks for, independent of JSON formatting and tag order; the gate's wait budget is not part of it.</summary>
    internal static string RequestHash(string endpoint, StartRunBody body)
    {
        var text = new StringBuilder(endpoint).Append('\n');
        Field(text, body.Workload);
        Field(text, body.WorkloadText);
        Field(text, body.Baseline);
        if (body.Against is not null)
        {
            // Only when given, so the hash of every request without it stays what it was.
            Field(text, "against:" + body.Against);
        }

        foreach (var setting in body.Overrides)
        {
            Field(text, "set:" + setting);
        }

        foreach (var (name, value) in body.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Field(text, "tag:" + name);
            Field(text, value);
        }

        return Hash(text.ToString());
    }

    private static void Field(StringBuilder text, string? value) =>
        text.Append(value is null ? "-1" : value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("^[A-Za-z0-9._:+/=-]{1,128}$")]
    private static partial Regex KeyPattern();
}

/// <summary>An <c>Idempotency-Key</c> sent again with a different request (422).</summary>
public sealed class IdempotencyKeyReusedException(string endpoint)
    : InputException(IdempotentStarts.Header, $"was already used with a different request on POST /api/{endpoint}; a retry must send the same request, a new request a new key.");
