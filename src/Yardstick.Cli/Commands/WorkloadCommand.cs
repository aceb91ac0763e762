using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Cli.Remote;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick workload push|list|show|diff</c>: the workload registry — of a deployed app with <c>--endpoint</c>
/// (<c>PUT/GET /api/workloads…</c>), else of the local host's storage (<c>--storage</c>, the same <c>Workloads</c> table
/// and blobs the app uses, so a local history and a deployed one read alike).
/// </summary>
internal sealed partial class WorkloadCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var workload = new Command("workload", "Register workload versions and read the registry (a deployed app's with --endpoint, else the local storage's).");
        workload.Subcommands.Add(Push());
        workload.Subcommands.Add(List());
        workload.Subcommands.Add(Show());
        workload.Subcommands.Add(Diff());
        return workload;
    }

    private Command Push()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON), validated here before it is stored or sent." };
        var author = new Option<string?>("--author") { Description = "Author tag (default: github:<actor>, azure-devops:<user> or cli:<user>)." };
        var where = new Where();
        return Define(
            "push",
            "Store a workload file as the next version of its workload (nothing new when the newest version has the same text).",
            async (parse, cancellationToken) =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    throw new InputException("file", $"workload file '{path.FullName}' does not exist.");
                }

                var model = RemoteWorkload.Validate(path.FullName, []);
                var text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
                var tag = CheckAuthor(parse.GetValue(author)) ?? DefaultAuthor();
                var json = path.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{');
                return await where.RunAsync(this, parse,
                    local: async (env, registry) =>
                    {
                        var pushed = await registry.PushAsync(model.Name, text, model.Schedule, tag, cancellationToken);
                        Pushed(pushed.Version, pushed.Created, env.StorageDescription);
                        return ExitCodes.Pass;
                    },
                    remote: async client =>
                    {
                        var pushed = await client.PushWorkloadAsync(model.Name, text, json, tag, cancellationToken);
                        Pushed(pushed.Version, pushed.Created, client.Endpoint.ToString());
                        return ExitCodes.Pass;
                    },
                    cancellationToken);
            },
            [file, author, .. where.All]);
    }

    private Command List()
    {
        var where = new Where();
        return Define(
            "list",
            "List the workloads: registered versions (and, from a deployed app, the packaged ones) with the newest run and its verdict.",
            (parse, cancellationToken) => where.RunAsync(this, parse,
                local: async (env, registry) =>
                {
                    var newest = await registry.ListNewestAsync(cancellationToken);
                    if (newest.Count == 0)
                    {
                        Out.MarkupLine($"No registered workloads on {Markup.Escape(env.StorageDescription)}; 'yardstick workload push <file>' registers one.");
                        return ExitCodes.Pass;
                    }

                    var table = new Table().Border(TableBorder.Rounded).Title($"registered workloads on {Markup.Escape(env.StorageDescription)}");
                    table.AddColumn("workload").AddColumn("version").AddColumn("hash").AddColumn("author").AddColumn("pushed").AddColumn("schedule").AddColumn("newest run").AddColumn("verdict");
                    foreach (var version in newest)
                    {
                        var runs = await env.Runs.ListAsync(version.Workload, 1, cancellationToken);
                        var run = runs.Count > 0 ? runs[0] : null;
                        table.AddRow(
                            Markup.Escape(version.Workload),
                            "v" + version.Version.ToString(CultureInfo.InvariantCulture),
                            version.ShortHash,
                            Markup.Escape(version.Author ?? "-"),
                            version.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                            Markup.Escape(version.Schedule ?? "-"),
                            run is null ? "-" : $"{run.RunId} ({run.Status.ToString().ToLowerInvariant()})",
                            Markup.Escape(run?.Verdict ?? "-"));
                    }

                    Out.Write(table);
                    return ExitCodes.Pass;
                },
                remote: async client =>
                {
                    var overview = await client.ListWorkloadsAsync(cancellationToken);
                    if (overview.Workloads.Count == 0)
                    {
                        Out.MarkupLine($"{Markup.Escape(client.Endpoint.ToString())} has no workloads.");
                        return ExitCodes.Pass;
                    }

                    var table = new Table().Border(TableBorder.Rounded).Title($"workloads of {Markup.Escape(client.Endpoint.ToString())}");
                    table.AddColumn("workload").AddColumn("registered").AddColumn("newest run").AddColumn("verdict").AddColumn("trend");
                    foreach (var w in overview.Workloads)
                    {
                        table.AddRow(
                            Markup.Escape(w.Workload),
                            w.Registered is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "packaged",
                            w.LatestRun is { } run ? Markup.Escape($"{run.RunId} ({run.Status})") : "-",
                            Markup.Escape(w.Verdict ?? "-"),
                            Markup.Escape($"{w.Metric} {w.Direction}" + (w.Assessment is "worse" or "better" ? $", {w.Assessment}" : "") + $" ({w.Days} d)"));
                    }

                    Out.Write(table);
                    return ExitCodes.Pass;
                },
                cancellationToken),
            where.All);
    }

    private Command Show()
    {
        var name = new Argument<string>("workload") { Description = "Workload name." };
        var version = new Option<int?>("--version") { Description = "The version whose text is printed (default: the newest active one)." };
        var where = new Where();
        return Define(
            "show",
            "Show every version of a registered workload and the text of one.",
            async (parse, cancellationToken) =>
            {
                var workload = WorkloadNames.Check(parse.GetValue(name), "workload");
                var wanted = CheckVersion(parse.GetValue(version), "--version");
                return await where.RunAsync(this, parse,
                    local: (env, registry) => ShowAsync(new LocalSource(registry, env.StorageDescription), workload, wanted, cancellationToken),
                    remote: client => ShowAsync(new RemoteSource(client), workload, wanted, cancellationToken),
                    cancellationToken);
            },
            [name, version, .. where.All]);
    }

    private Command Diff()
    {
        var name = new Argument<string>("workload") { Description = "Workload name." };
        var from = new Option<int?>("--from") { Description = "Version to compare from (default: the one before --to, or the newest active one with --file)." };
        var to = new Option<int?>("--to") { Description = "Version to compare to (default: the newest)." };
        var file = new Option<FileInfo?>("--file") { Description = "Compare the registered version with this file instead (what a push would change)." };
        var where = new Where();
        return Define(
            "diff",
            "Show what changed between two versions of a registered workload, or between a version and a file.",
            async (parse, cancellationToken) =>
            {
                var workload = WorkloadNames.Check(parse.GetValue(name), "workload");
                var fromVersion = CheckVersion(parse.GetValue(from), "--from");
                var toVersion = CheckVersion(parse.GetValue(to), "--to");
                var path = parse.GetValue(file);
                if (path is not null && toVersion is not null)
                {
                    throw new InputException("--to", "give either --to or --file, not both.");
                }

                if (path is { Exists: false })
                {
                    throw new InputException("--file", $"'{path.FullName}' does not exist.");
                }

                return await where.RunAsync(this, parse,
                    local: (env, registry) => DiffAsync(new LocalSource(registry, env.StorageDescription), workload, fromVersion, toVersion, path, cancellationToken),
                    remote: client => DiffAsync(new RemoteSource(client), workload, fromVersion, toVersion, path, cancellationToken),
                    cancellationToken);
            },
            [name, from, to, file, .. where.All]);
    }

    private async Task<int> ShowAsync(IRegistrySource source, string workload, int? wanted, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(source, workload, cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(workload)}[/] on {Markup.Escape(source.Description)}");
        table.AddColumn("version").AddColumn("hash").AddColumn("format").AddColumn(new TableColumn("bytes").RightAligned()).AddColumn("author").AddColumn("pushed").AddColumn("schedule").AddColumn("retired");
        foreach (var v in versions)
        {
            table.AddRow(
                "v" + v.Version.ToString(CultureInfo.InvariantCulture),
                v.ShortHash,
                v.Format,
                v.SizeBytes.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(v.Author ?? "-"),
                v.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(v.Schedule ?? "-"),
                v.RetiredAt is { } at ? Markup.Escape($"{at:yyyy-MM-dd} by {v.RetiredBy ?? "?"}") : "-");
        }

        Out.Write(table);
        var chosen = Pick(versions, workload, wanted, "--version");
        Out.MarkupLine($"Text of v{chosen.Version}{(chosen.IsRetired ? " (retired)" : "")}:");
        await Out.Profile.Out.Writer.WriteLineAsync((await source.TextAsync(workload, chosen.Version, cancellationToken)).TrimEnd('\n'));
        return ExitCodes.Pass;
    }

    private async Task<int> DiffAsync(IRegistrySource source, string workload, int? from, int? to, FileInfo? file, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(source, workload, cancellationToken);
        WorkloadVersion left;
        string rightLabel, rightText;
        if (file is not null)
        {
            left = Pick(versions, workload, from, "--from");
            rightLabel = file.Name;
            rightText = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        else
        {
            var right = to is null ? versions[0] : Pick(versions, workload, to, "--to");
            left = from is not null ? Pick(versions, workload, from, "--from")
                : versions.FirstOrDefault(v => v.Version < right.Version)
                  ?? throw new InputException("--from", $"workload '{workload}' has no version before v{right.Version}; give --from, or --file to compare with a file.");
            rightLabel = $"{workload} v{right.Version} ({right.ShortHash})";
            rightText = await source.TextAsync(workload, right.Version, cancellationToken);
        }

        var leftText = await source.TextAsync(workload, left.Version, cancellationToken);
        var writer = Out.Profile.Out.Writer;
        await writer.WriteLineAsync($"--- {workload} v{left.Version} ({left.ShortHash})");
        await writer.WriteLineAsync($"+++ {rightLabel}");
        switch (LineDiff.Unified(leftText, rightText))
        {
            case null:
                await writer.WriteLineAsync("(the texts differ; they are too long to compare line by line)");
                break;
            case { Count: 0 }:
                await writer.WriteLineAsync("(identical lines)");
                break;
            case var lines:
                foreach (var line in lines)
                {
                    await writer.WriteLineAsync(line);
                }

                break;
        }

        return ExitCodes.Pass;
    }

    private static async Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(IRegistrySource source, string workload, CancellationToken cancellationToken)
    {
        var versions = (await source.VersionsAsync(workload, cancellationToken)).OrderByDescending(v => v.Version).ToList();
        return versions.Count > 0
            ? versions
            : throw new InputException("workload", $"no registered workload '{workload}' on {source.Description}; 'yardstick workload push <file>' registers one.");
    }

    /// <summary>The version asked for, or the newest active one (the newest at all when every one is retired).</summary>
    private static WorkloadVersion Pick(IReadOnlyList<WorkloadVersion> versions, string workload, int? wanted, string option) =>
        wanted is { } number
            ? versions.FirstOrDefault(v => v.Version == number)
              ?? throw new InputException(option, $"workload '{workload}' has no version {number} (it has v{string.Join(", v", versions.Select(v => v.Version).Order())}).")
            : versions.FirstOrDefault(v => !v.IsRetired) ?? versions[0];

    private void Pushed(WorkloadVersion version, bool created, string where) =>
        Out.MarkupLine(Markup.Escape(created
            ? $"Registered {version.Workload} v{version.Version} ({version.ShortHash}, {version.Author ?? "no author"}) on {where}."
            : $"{version.Workload} v{version.Version} ({version.ShortHash}) already has this text on {where}; nothing stored."));

    private static int? CheckVersion(int? version, string option) =>
        version is null or (>= 1 and <= 999_999_999) ? version : throw new InputException(option, $"must be a version number from 1 (was {version}).");

    private static string? CheckAuthor(string? author) =>
        author is null || AuthorTag().IsMatch(author)
            ? author
            : throw new InputException("--author", "an author tag is 1 to 64 letters, digits or '_', '.', ':', '@', '+', '-', starting with a letter or digit (for example cli:alice).");

    /// <summary>Like <c>baseline promote</c>'s: the CI actor when there is one, else the user; characters a tag cannot hold become '-'.</summary>
    private static string DefaultAuthor()
    {
        var raw = Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? "github:" + actor
            : Environment.GetEnvironmentVariable("BUILD_REQUESTEDFOR") is { Length: > 0 } requester ? "azure-devops:" + requester
            : "cli:" + Environment.UserName;
        var clean = new string(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '@' or '+' or '-' ? c : '-').Take(64).ToArray());
        return AuthorTag().IsMatch(clean) ? clean : "cli";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,63}$")]
    private static partial Regex AuthorTag();

    /// <summary>Where a workload subcommand works: a deployed app (<c>--endpoint</c>) or the local storage.</summary>
    private sealed class Where
    {
        private readonly RemoteCliOptions _remote = new(endpointRequired: false, "Give up on the app after this long per request.");
        private readonly Option<string?> _storage = CommonOptions.Storage();
        private readonly Option<string?> _taskHub = CommonOptions.TaskHub();

        public Symbol[] All => [_remote.Endpoint, _remote.FunctionKeyEnv, _remote.TokenScope, _storage, _taskHub];

        public async Task<int> RunAsync(WorkloadCommand command, ParseResult parse, Func<CliEnvironment, IWorkloadRegistry, Task<int>> local, Func<YardstickApiClient, Task<int>> remote, CancellationToken cancellationToken)
        {
            if (!string.IsNullOrWhiteSpace(parse.GetValue(_remote.Endpoint)))
            {
                if (parse.GetValue(_storage) is not null)
                {
                    throw new InputException("--storage", "give either --endpoint (a deployed app's registry) or --storage (a local one), not both.");
                }

                return await RemoteCommandErrors.RunAsync(command.Context, async _ =>
                {
                    using var client = _remote.Read(parse).CreateClient();
                    return await remote(client);
                }, cancellationToken);
            }

            var options = new CliEnvironmentOptions
            {
                Storage = parse.GetValue(_storage),
                TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(_taskHub)),
                RunWorker = false,
            };
            await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
            return await local(env, env.Registry);
        }
    }

    private interface IRegistrySource
    {
        string Description { get; }

        Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken);

        Task<string> TextAsync(string workload, int version, CancellationToken cancellationToken);
    }

    private sealed class LocalSource(IWorkloadRegistry registry, string description) : IRegistrySource
    {
        public string Description => description;

        public Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken) => registry.VersionsAsync(workload, cancellationToken);

        public async Task<string> TextAsync(string workload, int version, CancellationToken cancellationToken) =>
            await registry.GetTextAsync(workload, version, cancellationToken)
            ?? throw new InvalidOperationException($"version {version} of workload '{workload}' is listed but its text is missing from storage.");
    }

    private sealed class RemoteSource(YardstickApiClient client) : IRegistrySource
    {
        public string Description => client.Endpoint.ToString();

        public async Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken) =>
            (await client.GetWorkloadVersionsAsync(workload, cancellationToken)).Versions;

        public async Task<string> TextAsync(string workload, int version, CancellationToken cancellationToken) =>
            (await client.GetWorkloadVersionAsync(workload, version, cancellationToken)).Text ?? "";
    }
}
