using System.Text.RegularExpressions;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Checks;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>Request mixes, journeys and <c>${data.column}</c> templating.</summary>
internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath RequestsPath = DocPath.Root.Key("requests");
    private static readonly DocPath StepsPath = DocPath.Root.Key("steps");

    private void CheckRequests()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var targetOrigin = Origin(_w.Target.Url);
        for (var i = 0; i < _w.Requests.Count; i++)
        {
            var r = _w.Requests[i];
            var path = RequestsPath.Index(i);
            if (r.Name.Length > 0 && !names.Add(r.Name))
            {
                Error(path.Key("name"), $"'{r.Name}' is used by another request; request names key their metrics, so they must differ.");
            }

            if (PercentileLike().IsMatch(r.Name))
            {
                Error(path.Key("name"), $"'{r.Name}' reads like a percentile (p95.p99 would be ambiguous); choose another name.");
            }

            var url = ShardPlanner.ResolveUrl(_w.Target.Url, r.Url);
            CheckReferences(path.Key("url"), r.Url);
            if (CheckTemplate(path.Key("url"), r.Url) && CheckHolePlacement(path.Key("url"), url) && targetOrigin is not null && Origin(url) is { } origin && origin != targetOrigin)
            {
                Error(path.Key("url"), $"'{Redaction.RedactUrl(r.Url)}' is not on the target's origin {targetOrigin}; every request of a mix goes to one origin (scheme, host and port).");
            }

            foreach (var (name, value) in r.Headers)
            {
                CheckReferences(path.Key("headers").Key(name), value);
                CheckTemplate(path.Key("headers").Key(name), value);
                CheckCorrelationHeader(path.Key("headers").Key(name), name);
            }

            CheckReferences(path.Key("body"), r.Body);
            CheckTemplate(path.Key("body"), r.Body);
            CheckResponseChecks(path.Key("checks"), r.Checks, _w.Target.Checks.Count);
        }

        CheckResponseChecks(Target.Key("checks"), _w.Target.Checks, 0);

        var t = _w.Target;
        if (CheckTemplate(Target.Key("url"), t.Url))
        {
            CheckHolePlacement(Target.Key("url"), t.Url);
        }

        foreach (var (name, value) in t.Headers)
        {
            CheckTemplate(Target.Key("headers").Key(name), value);
            CheckCorrelationHeader(Target.Key("headers").Key(name), name);
        }

        CheckTemplate(Target.Key("body"), t.Body);
        if (_w.Requests.Count > 0 && _doc.Map("target").Has("body"))
        {
            Error(Target.Key("body"), "with requests: every request has its own body; move it to the requests that send it.");
        }

        CheckSteps(names);
        CheckRequestMetrics(names);
    }

    /// <summary>Every check parses (errors name <c>requests[i].checks[j]</c>); names are distinct; at most 32 per request with the target's.</summary>
    private void CheckResponseChecks(DocPath path, IReadOnlyList<CheckSpec> checks, int inherited)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < checks.Count; i++)
        {
            if (!ResponseCheckParser.TryParse(checks[i], out var check, out var error))
            {
                Error(path.Index(i), error!);
            }
            else if (!names.Add(check!.Name))
            {
                Error(path.Index(i), $"another check here is also named '{check.Name}'; check names key their counts, so name one: {{ name: …, expect: … }}.");
            }
        }

        if (checks.Count + inherited > ResponseCheckParser.MaxChecksPerRequest)
        {
            Error(path, $"{checks.Count + inherited} checks{(inherited > 0 ? $" with the target's {inherited}" : "")}; at most {ResponseCheckParser.MaxChecksPerRequest} per request.");
        }
    }

    private void CheckSteps(HashSet<string> names)
    {
        if (_w.Steps.Count == 0)
        {
            return;
        }

        if (_w.Load.Model != LoadModel.Closed)
        {
            Error(StepsPath, "a journey is walked by the closed model's virtual users; set load.model: closed, or let the open model pick requests by weight.");
        }

        if (_w.Requests.Count == 0)
        {
            Error(StepsPath, "steps name entries of requests:, and there are none.");
            return;
        }

        for (var i = 0; i < _w.Steps.Count; i++)
        {
            var step = _w.Steps[i];
            if (step.Request.Length > 0 && !names.Contains(step.Request))
            {
                Error(StepsPath.Index(i).Key("request"), $"there is no request named '{step.Request}'{Suggest(step.Request, names)}");
            }

            if (step.ThinkTime is { } think && think > LoadCaps.MaxDuration)
            {
                Error(StepsPath.Index(i).Key("thinkTime"), $"{DurationText.Format(think)} is above the cap of {DurationText.Format(LoadCaps.MaxDuration)}.");
            }
        }
    }

    /// <summary><c>compare.metrics</c> and thresholds that name a request (<c>checkout.p95</c>) must name one of the mix.</summary>
    private void CheckRequestMetrics(HashSet<string> names)
    {
        for (var i = 0; i < _w.Compare.Metrics.Count; i++)
        {
            CheckRequestPrefix(ComparePath.Key("metrics").Index(i), MetricKeys.Split(_w.Compare.Metrics[i]).Request, names);
        }

        for (var i = 0; i < _w.Thresholds.Count; i++)
        {
            if (ThresholdParser.TryParse(_w.Thresholds[i], out var threshold, out _))
            {
                CheckRequestPrefix(DocPath.Root.Key("thresholds").Index(i), MetricKeys.Split(threshold!.Metric).Request, names);
            }
        }
    }

    private void CheckRequestPrefix(DocPath path, string? request, HashSet<string> names)
    {
        if (request is null || names.Contains(request))
        {
            return;
        }

        Error(path, names.Count == 0
            ? $"names request '{request}', but the workload has no requests: (a request's own metrics exist only in a mix)."
            : $"names request '{request}', which is not in requests:{Suggest(request, names)}");
    }

    private void CheckCorrelationHeader(DocPath path, string name)
    {
        if (_w.Target.Correlation && (name.Equals(RunCorrelation.TraceParentHeader, StringComparison.OrdinalIgnoreCase)
            || name.Equals(RunCorrelation.RunHeader, StringComparison.OrdinalIgnoreCase)))
        {
            Error(path, "Yardstick sets this header on every request (target.correlation); remove it, or set target.correlation: false.");
        }
    }

    /// <summary>Reports malformed <c>${data…}</c> references; true when the text has none.</summary>
    private bool CheckTemplate(DocPath path, string? text)
    {
        var ok = true;
        foreach (var bad in TemplateText.Malformed(text).Distinct())
        {
            Error(path, $"'{bad}' is not a valid data reference; write ${{data.column}} (column: a letter or '_', then letters, digits, '_' or '-').");
            ok = false;
        }

        if (ok && TemplateText.HasHoles(text) && _w.Data is null)
        {
            Error(path, $"${{data.{TemplateText.Columns(text).First()}}} needs a dataset: add data: {{ file: data/users.csv }}.");
            ok = false;
        }
        else if (ok)
        {
            CheckColumns(path, text);
        }

        return ok;
    }

    /// <summary>Holes may sit only in the path and query: the host, and so the target policy's answer, never varies by row.</summary>
    private bool CheckHolePlacement(DocPath path, string url)
    {
        if (!TemplateText.HasHoles(url))
        {
            return true;
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var end = scheme < 0 ? -1 : url.IndexOfAny(['/', '?', '#'], scheme + 3);
        var origin = scheme < 0 ? url : end < 0 ? url : url[..end];
        var fragment = url.IndexOf('#', StringComparison.Ordinal);
        if (TemplateText.HasHoles(origin) || (fragment >= 0 && TemplateText.HasHoles(url[fragment..])))
        {
            Error(path, "${data.column} may appear only in the path and query: the scheme, host and port must not vary by data row (the target allow-list is checked once).");
            return false;
        }

        return true;
    }

    /// <summary>scheme://host:port of a URL (references resolved, holes filled), or null when it is not an absolute http(s) URL.</summary>
    private string? Origin(string url)
    {
        var text = url;
        if (SecretReferences.HasReferences(text))
        {
            if (SecretReferences.Names(text).Any(n => _environment(n) is null))
            {
                return null;
            }

            text = SecretReferences.Resolve(text, "url", _environment);
        }

        text = DataHole().Replace(text, "x");
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}"
            : null;
    }

    private static string Suggest(string name, IEnumerable<string> names) =>
        NameSuggestions.DidYouMean(name, names) is { Length: > 0 } hint ? hint : ".";

    [GeneratedRegex(@"^p[0-9]+$")]
    private static partial Regex PercentileLike();

    [GeneratedRegex(@"\$\{data\.[^}]*\}")]
    private static partial Regex DataHole();
}
