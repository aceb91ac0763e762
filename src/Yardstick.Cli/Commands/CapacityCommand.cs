using System.CommandLine;
using System.Text.Json;
using Yardstick.Cli.Console;
using Yardstick.Core;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick capacity &lt;file&gt; --slo "p(99) &lt; 300ms" --slo "errorRate &lt; 1%"</c>: a capacity search (see
/// <c>CapacitySearch</c>). <c>--slo</c>, <c>--max-rate</c> and <c>--start-rate</c> are overrides of the workload's
/// <c>capacity:</c> block (<c>--set capacity.…</c>), so they are validated exactly like the file; the run then prints the
/// per-step table and the maximum sustainable rate.
/// </summary>
internal sealed class CapacityCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var options = new WorkloadRunCliOptions("Workload file (YAML or JSON); open model.");
        var json = CommonOptions.Json();
        var slo = new Option<string[]>("--slo") { Description = "An SLO a sustainable rate must meet, k6-style (repeatable): \"p(99) < 300ms\", \"errorRate < 1%\". Replaces capacity.slo.", AllowMultipleArgumentsPerToken = false };
        var maxRate = new Option<string?>("--max-rate") { Description = "The search's ceiling (capacity.maxRate), for example 400/s." };
        var startRate = new Option<string?>("--start-rate") { Description = "The first step's rate (capacity.startRate); default load.rate." };

        return Define(
            "capacity",
            "Capacity search: step the open-model rate up geometrically, then bisect, to find the maximum rate that meets the SLOs.",
            async (parse, cancellationToken) =>
            {
                var args = options.Read(parse, cancellationToken) with { Json = parse.GetValue(json) };
                var overrides = new List<string>(args.Overrides);
                if (parse.GetValue(slo) is { Length: > 0 } slos)
                {
                    overrides.Add("capacity.slo=[" + string.Join(", ", slos.Select(s => JsonSerializer.Serialize(s))) + "]");
                }

                if (parse.GetValue(maxRate) is { } max)
                {
                    overrides.Add("capacity.maxRate=" + max);
                }

                if (parse.GetValue(startRate) is { } start)
                {
                    overrides.Add("capacity.startRate=" + start);
                }

                args = args with { Overrides = overrides };

                // Refused before anything starts: without a capacity block this would be a plain run.
                var workload = args.File.Exists ? WorkloadLoader.LoadFile(args.File.FullName, args.Overrides) : null;
                if (workload is { Capacity: null })
                {
                    throw new InputException("capacity", $"'{args.File.Name}' has no capacity section; give --slo \"p(99) < 300ms\" and --max-rate 400/s (or a capacity: block).");
                }

                try
                {
                    var finished = await new RunExecution(Context).ExecuteAsync(args, cancellationToken);
                    return RunExecution.ExitCodeFor(finished);
                }
                catch (RunFailedException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }
            },
            [.. options.All, slo, maxRate, startRate, json]);
    }
}
