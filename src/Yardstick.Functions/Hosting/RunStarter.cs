using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Runs;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Core.Ports;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Functions.Hosting;

/// <summary>A validated run, ready to schedule: nothing has been written anywhere yet.</summary>
/// <param name="Request">The orchestration's input.</param>
/// <param name="Workload">The workload as validated (with overrides), for the answer.</param>
public sealed record PreparedRun(RunRequest Request, Workload Workload);

/// <summary>
/// The front door shared by every way a run starts in Azure (<c>POST /api/runs</c>, <c>POST /api/gate</c>, the nightly
/// timer): checks the request completely — workload text, overrides, tags, baseline, target allow-list —
/// before anything is scheduled, so bad input is refused with the field to fix and nothing is half-written.
/// </summary>
public sealed partial class RunStarter(DeployedWorkloads workloads, YardstickHostOptions options, TimeProvider time, IDatasetStore? datasets = null)
{
    /// <summary>Tag set by the host: how the run was started (<c>api</c>, <c>nightly</c>, <c>gate</c>).</summary>
    public const string TriggerTag = "trigger";

    public const int MaxOverrides = 64;
    public const int MaxTags = 32;
    public const int MaxTagValueLength = 256;

    /// <summary>The body field that asks for the paired gate (<see cref="StartRunBody.Against"/>).</summary>
    public const string AgainstField = "against";

    private const string AgainstOverride = "compare.against";

    /// <summary>Validates <paramref name="body"/> and builds the run's input.</summary>
    /// <param name="body">What the caller asked for.</param>
    /// <param name="trigger">Value of the <c>trigger</c> tag when the caller set none.</param>
    /// <param name="cancellationToken">Cancels the registry lookup.</param>
    /// <param name="runId">The run id; a new one (now + random) when null.</param>
    /// <exception cref="InputException">Bad input, naming the field (a <see cref="WorkloadValidationException"/> lists every problem of the workload).</exception>
    public async Task<PreparedRun> PrepareAsync(StartRunBody body, string trigger, CancellationToken cancellationToken, string? runId = null)
    {
        var hasName = body.Workload is not null;
        var hasText = body.WorkloadText is not null;
        if (hasName == hasText)
        {
            throw new InputException("workload", hasName
                ? "give either 'workload' (the name of a registered or deployed workload) or 'workloadText' (a workload inline), not both."
                : "give 'workload' (the name of a registered or deployed workload) or 'workloadText' (a workload file's YAML or JSON).");
        }

        PreparedRun run;
        if (hasName)
        {
            // By name: the newest registered version, else the file deployed with the app.
            var deployed = await workloads.FindAsync(body.Workload!, cancellationToken);
            run = Build(deployed.Text, deployed.Source, body, trigger, runId, deployed.Version);
        }
        else if (string.IsNullOrWhiteSpace(body.WorkloadText))
        {
            throw new InputException("workloadText", "is empty.");
        }
        else
        {
            run = Build(body.WorkloadText!, "workloadText", body, trigger, runId, version: null);
        }

        // A data.blob dataset must exist (and hold the columns the requests name) before anything is scheduled.
        if (run.Workload.Data is { Blob: not null })
        {
            await DatasetBlobs.CheckAsync(run.Workload, datasets, options, cancellationToken);
        }

        // A replay's trace blob must exist, be well formed and within the caps (read here up to 256 MiB).
        await TraceBlobs.CheckFrontDoorAsync(run.Workload, datasets, options, cancellationToken);
        return run;
    }

    /// <summary>Validates a deployed or registered workload as it is (no overrides) for a scheduled run.</summary>
    /// <exception cref="InputException">The workload or its target is refused.</exception>
    public PreparedRun Prepare(DeployedWorkload deployed, string trigger, string runId) =>
        Build(deployed.Text, deployed.Source, new StartRunBody(), trigger, runId, deployed.Version);

    /// <summary>
    /// Validates workload text exactly as a run of it would be (schema, semantics, secrets resolvable, target allowed), with
    /// no overrides, and a <c>data.blob</c> dataset present: what <c>PUT /api/workloads/{name}</c> checks before it stores a version.
    /// </summary>
    /// <exception cref="InputException">Bad input, naming the field.</exception>
    public async Task<Workload> ValidateAsync(string text, string source, CancellationToken cancellationToken)
    {
        var workload = WorkloadLoader.LoadText(text, source, [], options.Environment);
        RunPreflight.Check(workload, options);
        SecretHygiene.EnsureNoLiteralSecrets(text, source, []);
        // A data.blob dataset must exist now, as for a run: a version that could never run is not stored.
        if (workload.Data is { Blob: not null })
        {
            await DatasetBlobs.CheckAsync(workload, datasets, options, cancellationToken);
        }

        await TraceBlobs.CheckFrontDoorAsync(workload, datasets, options, cancellationToken);
        return workload;
    }

    /// <summary>Starts the run's orchestration with the run id as its instance id.</summary>
    public async Task<string> ScheduleAsync(DurableTaskClient client, PreparedRun run, CancellationToken cancellationToken) =>
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(BenchmarkRunOrchestrator),
            run.Request,
            new StartOrchestrationOptions(run.Request.RunId),
            cancellationToken);

    private PreparedRun Build(string text, string source, StartRunBody body, string trigger, string? runId, int? version)
    {
        var overrides = body.Overrides ?? [];
        if (overrides.Count > MaxOverrides)
        {
            throw new InputException("overrides", $"at most {MaxOverrides} overrides are accepted.");
        }

        var tags = CheckTags(body.Tags ?? new Dictionary<string, string>(), trigger);
        var baseline = CheckBaseline(body.Baseline);
        overrides = WithAgainst(overrides, body.Against);
        Workload workload;
        try
        {
            workload = WorkloadLoader.LoadText(text, source, overrides, options.Environment);
            RunPreflight.Check(workload, options);
        }
        catch (InputException e) when (body.Against is not null)
        {
            throw NameAgainst(e);
        }

        // What is stored is the text as sent and the overrides apart from it: both are checked as they are, every field.
        SecretHygiene.EnsureNoLiteralSecrets(text, source, overrides);

        runId ??= RunIds.Create(time.GetUtcNow(), Guid.NewGuid());
        var request = new RunRequest
        {
            RunId = runId,
            WorkloadText = text,
            WorkloadSource = source,
            Overrides = overrides.ToList(),
            Tags = tags,
            Host = options.Host,
            Baseline = baseline,
            WorkloadVersion = version,
            WorkloadHash = WorkloadContentHash.Of(text),
            ShardStartDelay = ShardStartTiming.ForFunctions(workload.Load.Shards),
            RecordTelemetry = true, // no process waits for this run: its last activity records it
        };
        return new PreparedRun(request, workload);
    }

    /// <summary>
    /// The body's <c>against</c> is the override <c>compare.against.url=…</c>, last, so it passes exactly the checks the
    /// override does (origin only, not the target's own, allow-list and address rules, with a pair count and no sweep or
    /// capacity search). Given both ways it is refused: two values for one setting invite surprises.
    /// </summary>
    private static IReadOnlyList<string> WithAgainst(IReadOnlyList<string> overrides, string? against)
    {
        if (against is null)
        {
            return overrides;
        }

        if (string.IsNullOrWhiteSpace(against))
        {
            throw new InputException(AgainstField, "is empty; give the reference's origin (what runs in production), for example https://my-app.azurewebsites.net.");
        }

        if (overrides.Any(o => o.StartsWith(AgainstOverride, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InputException(AgainstField, "is given twice: as 'against' and as the override compare.against; give it once.");
        }

        return [.. overrides, AgainstOverride + ".url=" + against.Trim()];
    }

    /// <summary>A refusal of the reference's URL names the body field the caller wrote, <c>against</c>.</summary>
    private static InputException NameAgainst(InputException refused)
    {
        static string Rename(string field) =>
            field.Equals(AgainstOverride, StringComparison.Ordinal) || field.StartsWith(AgainstOverride + ".", StringComparison.Ordinal) ? AgainstField : field;

        return refused switch
        {
            WorkloadValidationException invalid => new WorkloadValidationException(
                invalid.Source ?? "workloadText",
                invalid.Errors.Select(e => e with
                {
                    Source = e.Source.StartsWith("--set " + AgainstOverride, StringComparison.Ordinal) ? AgainstField : e.Source,
                    Path = Rename(e.Path),
                }).ToList()),
            _ when Rename(refused.Field) == AgainstField => new InputException(AgainstField, refused.Message, refused.Source),
            _ => refused,
        };
    }

    private static Dictionary<string, string> CheckTags(IReadOnlyDictionary<string, string> tags, string trigger)
    {
        if (tags.Count > MaxTags)
        {
            throw new InputException("tags", $"at most {MaxTags} tags are accepted.");
        }

        var checkedTags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tags)
        {
            // Same rules as the workload file's own tags (schema $defs/tagName), so merged tags stay valid.
            if (!TagName().IsMatch(name))
            {
                throw new InputException("tags." + Api.ApiText.Clip(name), "a tag name is a letter, then letters, digits, '_', '.' or '-' (at most 63 characters).");
            }

            if (value.Length > MaxTagValueLength)
            {
                throw new InputException("tags." + name, $"a tag value has at most {MaxTagValueLength} characters.");
            }

            checkedTags[name] = value;
        }

        checkedTags.TryAdd(TriggerTag, trigger);
        return checkedTags;
    }

    private static string? CheckBaseline(string? baseline)
    {
        if (baseline is null or "current" || RunIds.IsValid(baseline))
        {
            return baseline;
        }

        throw new InputException("baseline", "must be 'current' or a run id such as 20261129-081502-3fa9c1.");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex TagName();
}
