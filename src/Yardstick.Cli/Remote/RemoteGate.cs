using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Remote;

/// <summary>What <c>yardstick gate &lt;file&gt; --endpoint …</c> asks for.</summary>
internal sealed record RemoteGateArguments
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public required FileInfo File { get; init; }

    public required RemoteConnection Connection { get; init; }

    public IReadOnlyList<string> Overrides { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--baseline current|&lt;runId&gt;</c>; null lets the workload decide.</summary>
    public string? Baseline { get; init; }

    public bool FailOnInconclusive { get; init; }

    /// <summary>How long to wait for the verdict in all (the gate call included) before exiting 3.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary><c>--out DIR</c>: report.md, junit.xml, report.html, summary.json.</summary>
    public DirectoryInfo? Out { get; init; }

    /// <summary><c>--json FILE</c>: the run's summary.json.</summary>
    public FileInfo? Json { get; init; }

    public bool ShowProgress { get; init; } = true;
}

/// <summary>
/// The remote gate: validates the workload locally, <c>POST /api/gate</c>, polls the status URL when the server answers
/// 202, then decides with the local gate's exit codes (0 pass, 1 regression or threshold breach, 3 failed or timed out,
/// 4 inconclusive with <c>--fail-on-inconclusive</c>; 2 for bad input or a refused request) and saves the reports.
/// Every error becomes one line on the error writer; only Ctrl+C propagates (as <see cref="OperationCanceledException"/>).
/// </summary>
internal sealed class RemoteGate(CliContext context)
{
    /// <summary>The API caps the gate budget at 200 s; a shorter client timeout asks for a shorter one.</summary>
    private static readonly TimeSpan MaxBudget = TimeSpan.FromSeconds(200);

    public Task<int> RunAsync(RemoteGateArguments args, CancellationToken cancellationToken)
    {
        return RemoteCommandErrors.RunAsync(context, async handle =>
        {
            var prepared = RemoteWorkload.Prepare(args.File, args.Overrides, args.Tags, args.Baseline);
            var body = prepared.Body with
            {
                BudgetSeconds = args.Timeout < MaxBudget ? Math.Max(1, (int)args.Timeout.TotalSeconds) : null,
            };
            using var client = args.Connection.CreateClient();
            var http = args.Connection.Http;
            var started = http.Time.GetTimestamp();
            context.Console.MarkupLine($"Gate [bold]{Markup.Escape(prepared.Workload.Name)}[/] on [bold]{Markup.Escape(client.Endpoint.ToString())}[/] (waiting up to {Core.Load.DurationText.Format(args.Timeout)}).");

            var answer = await client.StartGateAsync(body, cancellationToken);
            RunStatusResponse status;
            if (answer.Finished is { } finished)
            {
                handle.RunId = finished.RunId;
                status = finished;
            }
            else
            {
                var run = answer.Started!;
                handle.RunId = run.Response.RunId;
                handle.StatusUri = run.StatusUri;
                context.Console.MarkupLine($"Run [bold]{Markup.Escape(handle.RunId)}[/] is still running; status: {Markup.Escape(Redaction.RedactUrl(handle.StatusUri.AbsoluteUri))}");
                status = await new RemoteRunWatcher(client, context.Console, http).WaitAsync(handle.RunId, handle.StatusUri, args.ShowProgress, args.Timeout, started, cancellationToken);
            }

            RemoteOutcome.Render(context.Console, status);
            var decision = RemoteOutcome.Decide(status, args.FailOnInconclusive);
            await new RemoteReports(client, context.Console, context.Error)
                .SaveAsync(status.RunId, args.Out, args.Json, args.Connection.Environment(RemoteReports.StepSummaryVariable), cancellationToken);
            await GateDecision.ReportAsync(context, "gate", decision);
            return decision.ExitCode;
        }, cancellationToken);
    }
}
