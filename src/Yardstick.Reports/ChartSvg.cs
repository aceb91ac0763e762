using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Yardstick.Reports;

/// <summary>
/// Turns ScottPlot's SVG document into markup fit for inlining in HTML: no XML declaration or namespace URIs (nothing
/// that looks like an external URL), ids prefixed per chart (several charts share one document, and ScottPlot numbers
/// its clip paths from the same counter), a viewBox so CSS can scale it, and text simplified to one position per
/// label (SkiaSharp writes one x per glyph measured with its own font, which misplaces glyphs when the browser's font
/// differs, and leaves a trailing comma browsers report as an attribute error).
/// </summary>
internal static partial class ChartSvg
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Inline(string svgXml, string idPrefix, string label, string fontFamily)
    {
        var document = XDocument.Parse(svgXml);
        var root = document.Root ?? throw new InvalidOperationException("ScottPlot returned an SVG without a root element.");
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = element.Name.LocalName;
            foreach (var attribute in element.Attributes().ToList())
            {
                if (attribute.IsNamespaceDeclaration)
                {
                    attribute.Remove();
                    continue;
                }

                switch (attribute.Name.LocalName)
                {
                    case "id":
                        attribute.Value = idPrefix + attribute.Value;
                        break;
                    case "clip-path" or "mask" or "filter" or "fill" or "stroke":
                        attribute.Value = UrlReference().Replace(attribute.Value, m => "url(#" + idPrefix + m.Groups[1].Value + ")");
                        break;
                    case "href":
                        attribute.Remove();
                        element.SetAttributeValue("href", attribute.Value.StartsWith('#') ? "#" + idPrefix + attribute.Value[1..] : null);
                        break;
                    case "font-family":
                        attribute.Value = fontFamily;
                        break;
                    default:
                        break;
                }
            }

            if (element.Name.LocalName == "text")
            {
                SimplifyText(element);
            }
        }

        var width = (string?)root.Attribute("width") ?? "800";
        var height = (string?)root.Attribute("height") ?? "400";
        root.SetAttributeValue("viewBox", $"0 0 {width} {height}");
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", label);
        root.AddFirst(new XElement("title", label));
        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static void SimplifyText(XElement text)
    {
        foreach (var axis in new[] { "x", "y" })
        {
            if (text.Attribute(axis) is { } positions)
            {
                var first = positions.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
                if (first is not null && double.TryParse(first, NumberStyles.Float, Invariant, out var value))
                {
                    positions.Value = value.ToString("0.###", Invariant);
                }
                else
                {
                    positions.Remove();
                }
            }
        }

        if (!text.HasElements)
        {
            text.Value = text.Value.Trim();
        }
    }

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();
}
