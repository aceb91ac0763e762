namespace Yardstick.Reports;

/// <summary>The HTML report's inline stylesheet: system fonts only, no external resources, readable when printed.</summary>
internal static class HtmlStyles
{
    public const string Css = """
        :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
                --red: #cf222e; --green: #1a7f37; --amber: #9a6700; --blue: #0969da; --grey: #6e7781; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--panel); color: var(--fg);
               font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 48px; }
        header.head, section { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin: 0 0 16px; }
        header.head { border-top: 6px solid var(--grey); }
        header.outcome-pass { border-top-color: var(--green); }
        header.outcome-fail, header.outcome-run-failed { border-top-color: var(--red); }
        header.outcome-inconclusive { border-top-color: var(--amber); }
        .eyebrow { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
        h1 { font-size: 24px; margin: 4px 0 8px; overflow-wrap: anywhere; }
        h2 { font-size: 18px; margin: 0 0 12px; }
        h3 { font-size: 15px; margin: 16px 0 8px; }
        p { margin: 6px 0; }
        .explain { font-size: 15px; }
        .meta, .note, figcaption { color: var(--muted); }
        .failure { color: var(--red); font-weight: 600; overflow-wrap: anywhere; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px;
               background: var(--panel); border-radius: 4px; padding: 1px 5px; overflow-wrap: anywhere; }
        nav { margin: 0 0 16px; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; }
        nav a { color: var(--blue); text-decoration: none; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 14px; }
        .tile { background: var(--panel); border-radius: 6px; padding: 8px 12px; }
        .tile .label { color: var(--muted); font-size: 12px; }
        .tile .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-size: 12.5px; font-weight: 600;
                 color: #fff; background: var(--grey); vertical-align: middle; white-space: nowrap; }
        .v-regression, .r-fail { background: var(--red); }
        .v-improvement, .r-pass { background: var(--green); }
        .v-equivalent { background: var(--blue); }
        .v-inconclusive { background: var(--amber); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; background: var(--panel); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.explanation { color: var(--muted); min-width: 260px; }
        table.verdicts tr.numbers td { border-bottom: none; padding-bottom: 2px; }
        table.verdicts tr.why td { color: var(--muted); padding-top: 0; font-size: 12.5px; }
        .method { color: var(--grey); font-style: italic; }
        figure.chart { margin: 0 0 8px; }
        figure.chart svg { display: block; width: 100%; height: auto; max-width: 960px; margin: 0 auto 8px; }
        table.heatmap { width: auto; margin: 4px 0 8px; }
        table.heatmap td.heat { text-align: center; min-width: 96px; color: #111; }
        table.heatmap td.heat-recommended { outline: 3px solid #0a7d32; outline-offset: -3px; }
        table.heatmap td.heat-none { color: var(--muted); text-align: center; }
        dl.facts { display: grid; grid-template-columns: minmax(140px, max-content) 1fr; gap: 4px 18px; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        footer { color: var(--muted); font-size: 12px; text-align: center; }
        @media print { body { background: #fff; } section, header.head { break-inside: avoid; border-color: #ccc; } nav { display: none; } }
        """;
}
