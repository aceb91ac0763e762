using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Yardstick.Azure.Pricing;
using Yardstick.Core;
using Yardstick.Core.Cost;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick pricing refresh --region &lt;r&gt;</c> rebuilds the pricing catalog for a region from the Azure Retail Prices
/// API (no sign-in needed); <c>yardstick pricing show [--region]</c> prints the catalog with its unconfirmed flags.
/// </summary>
internal sealed class PricingCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var pricing = new Command("pricing", "Show or refresh the pricing catalog that cost figures are computed from.");
        pricing.Subcommands.Add(BuildRefresh());
        pricing.Subcommands.Add(BuildShow());
        return pricing;
    }

    private Command BuildRefresh()
    {
        var region = new Option<string>("--region") { Description = "ARM region name, for example eastus or westeurope.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = $"Catalog file to update (default {PricingCatalog.DefaultPath}); other regions' entries are kept." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Retail Prices API base URL (default: the public API); for mirrors and tests." };
        return Define(
            "refresh",
            "Rebuild the catalog's prices for a region from the Azure Retail Prices API (follows NextPageLink).",
            async (parse, cancellationToken) =>
            {
                var path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(PricingCatalog.DefaultPath);
                var existing = File.Exists(path) ? PricingCatalog.Load(path) : null;
                var options = new Azure.Rest.RetailPricesClientOptions();
                if (parse.GetValue(endpoint) is { } url)
                {
                    options.Endpoint = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? uri
                        : throw new InputException("--endpoint", $"'{url}' is not an absolute http(s) URL.");
                }

                var builder = new PricingCatalogBuilder(new RetailPricesClient(options));
                PricingCatalogBuildResult result;
                try
                {
                    result = await builder.BuildAsync(parse.GetValue(region)!, existing, cancellationToken);
                }
                catch (Azure.Rest.AzureApiException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, result.Catalog.ToJson(), cancellationToken);
                Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/]: {result.FoundMeters.Count} meter(s) from the Retail Prices API, {result.MissingMeters.Count} not found.");
                foreach (var note in result.Notes)
                {
                    Out.MarkupLine("  [yellow]•[/] " + Markup.Escape(note));
                }

                return ExitCodes.Pass;
            },
            region, output, endpoint);
    }

    private Command BuildShow()
    {
        var region = new Option<string?>("--region") { Description = "Only this region (and the region-agnostic defaults)." };
        var file = new Option<FileInfo?>("--file") { Description = $"Catalog file (default {PricingCatalog.DefaultPath}, else the copy shipped with the CLI)." };
        return Define(
            "show",
            "Print the pricing catalog; UNCONFIRMED marks prices no primary source confirms.",
            (parse, _) =>
            {
                var path = parse.GetValue(file)?.FullName ?? DefaultCatalogPath();
                var catalog = PricingCatalog.Load(path);
                var wanted = parse.GetValue(region)?.Trim().ToLowerInvariant();
                var entries = catalog.Entries.Where(e => wanted is null || e.Region == wanted || e.Region == PricingCatalog.DefaultRegion).ToList();
                var table = new Table().Border(TableBorder.Simple).Title($"pricing catalog [bold]{Markup.Escape(path)}[/]");
                table.AddColumns("plan", "meter", "region", "USD", "per", "free grant", "retrieved", "confirmed");
                foreach (var e in entries)
                {
                    table.AddRow(
                        e.Plan,
                        e.Meter,
                        e.Region,
                        e.UnitPriceUsd.ToString("G6", CultureInfo.InvariantCulture),
                        Markup.Escape(e.Unit),
                        e.FreeGrant is { } g ? Markup.Escape($"{g.Quantity.ToString("G6", CultureInfo.InvariantCulture)} {g.Unit}{(g.Unconfirmed ? " (unconfirmed)" : "")}") : "-",
                        e.Retrieved.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        e.Unconfirmed ? "[yellow]UNCONFIRMED[/]" : "yes");
                }

                Out.Write(table);
                if (wanted is not null && !catalog.Entries.Any(e => e.Region == wanted))
                {
                    Out.MarkupLine($"[yellow]No prices for {Markup.Escape(wanted)}[/]: the defaults above apply, marked unconfirmed; run 'yardstick pricing refresh --region {Markup.Escape(wanted)}'.");
                }

                return Task.FromResult(ExitCodes.Pass);
            },
            region, file);
    }

    private static string DefaultCatalogPath()
    {
        var inRepository = Path.GetFullPath(PricingCatalog.DefaultPath);
        return File.Exists(inRepository) ? inRepository : Path.Combine(AppContext.BaseDirectory, "pricing", "azure-functions.json");
    }
}
