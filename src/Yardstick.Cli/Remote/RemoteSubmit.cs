using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Cli.Remote;

/// <summary>What <c>yardstick submit &lt;file&gt; --endpoint …</c> asks for.</summary>
internal sealed record RemoteSubmitArguments
{
    public required FileInfo File { get; init; }

    public required RemoteConnection Connection { get; init; }

    public IReadOnlyList<string> Overrides { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string? Baseline { get; init; }

    /// <summary>Print the run id and status URL, then exit 0 without waiting.</summary>
    public bool NoWait { get; init; }

    /// <summary>Stop waiting after this long (exit 3; the run goes on); null waits until the run ends.</summary>
    public TimeSpan? Timeout { get; init; }

    public DirectoryInfo? Out { get; init; }

    public FileInfo? Json { get; init; }

    public bool ShowProgress { get; init; } = true;
}

/// <summary>
/// Starts a run in a deployed Yardstick app (<c>POST /api/runs</c>), prints its id and status URL, then (unless
/// <see cref="RemoteSubmitArguments.NoWait"/>) follows it to the end and exits like a local run: 0 completed or
/// degraded, 1 regression or threshold breach, 3 failed.
/// </summary>
internal sealed class RemoteSubmit(CliContext context)
{
    public Task<int> RunAsync(RemoteSubmitArguments args, CancellationToken cancellationToken)
    {
        return RemoteCommandErrors.RunAsync(context, async handle =>
        {
            var prepared = RemoteWorkload.Prepare(args.File, args.Overrides, args.Tags, args.Baseline);
            using var client = args.Connection.CreateClient();
            var http = args.Connection.Http;
            var run = await client.StartRunAsync(prepared.Body, cancellationToken);
            var started = http.Time.GetTimestamp();
            handle.RunId = run.Response.RunId;
            handle.StatusUri = run.StatusUri;
            context.Console.MarkupLine($"Submitted run [bold]{Markup.Escape(handle.RunId)}[/] of [bold]{Markup.Escape(run.Response.Workload)}[/] to {Markup.Escape(client.Endpoint.ToString())}.");
            context.Console.MarkupLine($"status: {Markup.Escape(Redaction.RedactUrl(handle.StatusUri.AbsoluteUri))}");
            if (args.NoWait)
            {
                return ExitCodes.Pass;
            }

            var status = await new RemoteRunWatcher(client, context.Console, http).WaitAsync(handle.RunId, handle.StatusUri, args.ShowProgress, args.Timeout, started, cancellationToken);
            RemoteOutcome.Render(context.Console, status);
            var decision = RemoteOutcome.Decide(status, failOnInconclusive: false);
            await new RemoteReports(client, context.Console, context.Error).SaveAsync(status.RunId, args.Out, args.Json, stepSummary: null, cancellationToken);
            await GateDecision.ReportAsync(context, "submit", decision);
            return decision.ExitCode;
        }, cancellationToken);
    }
}
