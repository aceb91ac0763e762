using System.Globalization;
using System.Text.Json;

namespace Yardstick.Core.Cost;

/// <summary>
/// Reads catalog JSON field by field (not by deserialization) so every error names the entry and the field,
/// for example <c>entries[3].unitPriceUsd: must be a finite number ≥ 0, found "abc"</c>.
/// </summary>
internal static class PricingCatalogReader
{
    public static PricingCatalog Read(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InputException("$", $"the pricing catalog is not valid JSON: {e.Message}", source);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "$", $"must be an object with schemaVersion and entries, found {root.KindName()}");
            }

            var version = ReadInt(root, "schemaVersion", "schemaVersion", source);
            if (version != PricingCatalog.CurrentSchemaVersion)
            {
                throw Error(source, "schemaVersion", $"version {version} is not supported (this build reads version {PricingCatalog.CurrentSchemaVersion})");
            }

            var currency = OptionalString(root, "currency", "currency", source) ?? "USD";
            if (currency != "USD")
            {
                throw Error(source, "currency", $"must be USD (the Retail Prices API's authoritative currency), found '{currency}'");
            }

            if (!root.TryGetProperty("entries", out var entriesElement) || entriesElement.ValueKind != JsonValueKind.Array)
            {
                throw Error(source, "entries", "is required and must be an array");
            }

            var entries = new List<PriceEntry>();
            var seen = new Dictionary<(string, string, string), int>();
            var index = 0;
            foreach (var element in entriesElement.EnumerateArray())
            {
                var entry = ReadEntry(element, $"entries[{index}]", source);
                if (seen.TryGetValue((entry.Plan, entry.Meter, entry.Region), out var first))
                {
                    throw Error(source, $"entries[{index}]", $"duplicates entries[{first}] ({entry.Plan}/{entry.Meter} in region {entry.Region})");
                }

                seen[(entry.Plan, entry.Meter, entry.Region)] = index;
                entries.Add(entry);
                index++;
            }

            return new PricingCatalog
            {
                SchemaVersion = version,
                Currency = currency,
                Description = OptionalString(root, "description", "description", source),
                Entries = entries,
            };
        }
    }

    private static PriceEntry ReadEntry(JsonElement element, string path, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, path, $"must be an object, found {element.KindName()}");
        }

        var plan = RequiredString(element, "plan", path, source);
        if (!PricingMeters.ByPlan.TryGetValue(plan, out var meters))
        {
            throw Error(source, $"{path}.plan", $"unknown plan '{plan}' (known: {string.Join(", ", PricingPlans.All)})");
        }

        var meter = RequiredString(element, "meter", path, source);
        if (!meters.TryGetValue(meter, out var baseUnit))
        {
            throw Error(source, $"{path}.meter", $"unknown meter '{meter}' for plan {plan} (known: {string.Join(", ", meters.Keys)})");
        }

        var unit = RequiredString(element, "unit", path, source);
        if (!PricingUnits.IsKnown(unit))
        {
            throw Error(source, $"{path}.unit", $"unknown unit '{unit}' (known: {string.Join(", ", PricingUnits.All)})");
        }

        if (PricingUnits.BaseUnitOf(unit) != baseUnit)
        {
            throw Error(source, $"{path}.unit", $"'{unit}' does not measure {plan}/{meter}, which is counted in {baseUnit}");
        }

        var price = ReadNonNegative(element, "unitPriceUsd", path, source);
        var region = RequiredString(element, "region", path, source);
        if (region != PricingCatalog.DefaultRegion && !IsRegionName(region))
        {
            throw Error(source, $"{path}.region", $"'{region}' is not an ARM region name (lowercase letters and digits, for example eastus) or '{PricingCatalog.DefaultRegion}'");
        }

        var entrySource = RequiredString(element, "source", path, source);
        var retrievedText = RequiredString(element, "retrieved", path, source);
        if (!DateOnly.TryParseExact(retrievedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var retrieved))
        {
            throw Error(source, $"{path}.retrieved", $"must be a date yyyy-MM-dd, found '{retrievedText}'");
        }

        var unconfirmed = OptionalBool(element, "unconfirmed", path, source) ?? false;
        FreeGrant? grant = null;
        if (element.TryGetProperty("freeGrant", out var grantElement) && grantElement.ValueKind != JsonValueKind.Null)
        {
            grant = ReadGrant(grantElement, $"{path}.freeGrant", baseUnit, source);
        }

        return new PriceEntry
        {
            Plan = plan,
            Meter = meter,
            Unit = unit,
            UnitPriceUsd = price,
            Region = region,
            Source = entrySource,
            Retrieved = retrieved,
            Unconfirmed = unconfirmed,
            FreeGrant = grant,
        };
    }

    private static FreeGrant ReadGrant(JsonElement element, string path, string baseUnit, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, path, $"must be an object {{quantity, unit}}, found {element.KindName()}");
        }

        var quantity = ReadNonNegative(element, "quantity", path, source);
        var unit = RequiredString(element, "unit", path, source);
        if (!PricingUnits.IsKnown(unit) || PricingUnits.BaseUnitOf(unit) != baseUnit)
        {
            throw Error(source, $"{path}.unit", $"'{unit}' is not a unit of {baseUnit} (known units: {string.Join(", ", PricingUnits.All)})");
        }

        return new FreeGrant
        {
            Quantity = quantity,
            Unit = unit,
            Unconfirmed = OptionalBool(element, "unconfirmed", path, source) ?? false,
            Source = OptionalString(element, "source", $"{path}.source", source),
        };
    }

    internal static bool IsRegionName(string region) =>
        region.Length is > 0 and <= 64 && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));

    private static string RequiredString(JsonElement element, string name, string path, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(source, $"{path}.{name}", "is required");
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw Error(source, $"{path}.{name}", $"must be a non-empty string, found {value.KindName()}");
        }

        return value.GetString()!.Trim();
    }

    private static string? OptionalString(JsonElement element, string name, string field, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error(source, field, $"must be a string, found {value.KindName()}");
    }

    private static bool? OptionalBool(JsonElement element, string name, string path, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(source, $"{path}.{name}", $"must be true or false, found {value.KindName()}"),
        };
    }

    private static double ReadNonNegative(JsonElement element, string name, string path, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(source, $"{path}.{name}", "is required");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number < 0)
        {
            throw Error(source, $"{path}.{name}", $"must be a finite number ≥ 0, found {value.GetRawText()}");
        }

        return number;
    }

    private static int ReadInt(JsonElement element, string name, string field, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(source, field, "is required");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error(source, field, $"must be an integer, found {value.GetRawText()}");
    }

    private static InputException Error(string source, string field, string message) => new(field, message, source);
}
