using System.Net;
using System.Text.RegularExpressions;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>
/// Semantic checks on a mapped workload: rules the schema cannot express (cross-field rules, hard caps, secret
/// references, plan-specific settings). Every problem names the field path; messages never contain secret values.
/// </summary>
internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath Target = DocPath.Root.Key("target");

    private readonly Workload _w;
    private readonly MapReader _doc;
    private readonly Func<string, string?> _environment;
    private readonly ErrorSink _sink;

    private WorkloadSemantics(Workload workload, DocNode root, Func<string, string?> environment, ErrorSink sink)
    {
        _w = workload;
        _doc = new MapReader(root as DocMap, DocPath.Root, sink);
        _environment = environment;
        _sink = sink;
    }

    public static void Check(Workload workload, DocNode root, Func<string, string?> environment, ErrorSink sink)
    {
        var checks = new WorkloadSemantics(workload, root, environment, sink);
        checks.CheckName();
        checks.CheckTarget();
        checks.CheckData();
        checks.CheckRequests();
        checks.CheckLoad();
        checks.CheckColdStart();
        checks.CheckCost();
        checks.CheckCompare();
        checks.CheckThresholds();
        checks.CheckSweep();
        checks.CheckSchedule();
        checks.CheckCapacity();
        checks.CheckSlo();
        checks.CheckAlerts();
        checks.CheckFaults();
    }

    private void Error(DocPath path, string message) => _sink.Semantic(path, message);

    private void CheckName()
    {
        // The schema checks the pattern; the length rule is repeated here so the message names the limit in words.
        if (_w.Name.Length > 63)
        {
            Error(DocPath.Root.Key("name"), $"is {_w.Name.Length} characters long; names have at most 63 (they key stored runs).");
        }
    }

    private void CheckTarget()
    {
        var t = _w.Target;
        var url = CheckUrl(Target.Key("url"), t.Url, resolveReferences: true);
        if (t.InsecureSkipTlsVerify && url is not null && !TargetPolicy.IsLoopbackHost(url.IdnHost))
        {
            var shown = SecretReferences.HasReferences(t.Url) ? "the resolved host" : $"'{url.IdnHost}'";
            Error(Target.Key("insecureSkipTlsVerify"), $"is allowed only for loopback targets (localhost, 127.0.0.1, ::1), not {shown}.");
        }

        if (t.InsecureSkipTlsVerify && url is { Scheme: "http" })
        {
            Error(Target.Key("insecureSkipTlsVerify"), "applies to https URLs only; the target URL is http.");
        }

        if (t.Transport == TransportKind.Lean && t.HttpVersion != "1.1")
        {
            Error(Target.Key("transport"), $"'lean' speaks HTTP/1.1 only; use 'handler' (or 'auto') with httpVersion \"{t.HttpVersion}\".");
        }

        foreach (var (name, value) in t.Headers)
        {
            CheckReferences(Target.Key("headers").Key(name), value);
        }

        CheckReferences(Target.Key("body"), t.Body);

        if (t.Process is { } process)
        {
            var p = Target.Key("process");
            foreach (var (name, value) in process.Env)
            {
                CheckReferences(p.Key("env").Key(name), value);
            }

            if (process.ReadyUrl is not null)
            {
                CheckUrl(p.Key("readyUrl"), process.ReadyUrl, resolveReferences: false);
            }

            if (process.ReadyTimeout <= TimeSpan.Zero)
            {
                Error(p.Key("readyTimeout"), "must be positive.");
            }
        }
    }

    /// <summary>Checks an absolute http(s) URL that is not a link-local or metadata address; returns it resolved, or null.</summary>
    private Uri? CheckUrl(DocPath path, string raw, bool resolveReferences)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        var text = raw;
        if (SecretReferences.HasReferences(raw))
        {
            if (!resolveReferences)
            {
                Error(path, "${env:NAME} references are resolved only in target.url, headers, body and process env.");
                return null;
            }

            if (!CheckReferences(path, raw))
            {
                return null;
            }

            text = SecretReferences.Resolve(raw, path.ToString(), _environment);
        }
        else
        {
            CheckReferences(path, raw);
        }

        // Messages show the URL as written (references unresolved, secret query values masked), never the resolved text.
        // ${data.column} holes are checked apart (CheckHolePlacement); here they stand in as plain text.
        var shown = Redaction.RedactUrl(raw);
        text = DataHole().Replace(text, "x");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Error(path, $"'{shown}' is not an absolute http or https URL (for example http://127.0.0.1:5080/api/hello).");
            return null;
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip) && TargetPolicy.IsAlwaysRefused(ip))
        {
            // When the host came from a reference, say so without echoing the resolved value.
            var which = ReferenceEquals(text, raw) ? host : "the host (after resolving ${env:...} references)";
            Error(path, $"{which} is a link-local, cloud metadata or unspecified address; Yardstick never sends load there.");
            return null;
        }

        return uri;
    }

    /// <summary>Checks that every <c>${env:NAME}</c> in a value resolves; returns false when one does not.</summary>
    private bool CheckReferences(DocPath path, string? value)
    {
        if (value is null)
        {
            return true;
        }

        var ok = true;
        foreach (Match candidate in EnvLike().Matches(value))
        {
            if (!WellFormedReference().IsMatch(candidate.Value))
            {
                Error(path, $"'{candidate.Value}' is not a valid reference; write ${{env:NAME}} (lowercase 'env', NAME of letters, digits and '_').");
                ok = false;
            }
        }

        foreach (var name in SecretReferences.Names(value).Distinct())
        {
            if (_environment(name) is null)
            {
                Error(path, SecretReferences.NotSet(name));
                ok = false;
            }
        }

        return ok;
    }

    private static string Plural(long count, string singular) =>
        count == 1 ? $"1 {singular}" : $"{count:N0} {singular}s";

    // Anything that looks like an env reference; a value may contain other "${...}" text, which is left alone.
    [GeneratedRegex(@"\$\{\s*env\s*:[^}\s]*\}?", RegexOptions.IgnoreCase)]
    private static partial Regex EnvLike();

    [GeneratedRegex(@"^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$")]
    private static partial Regex WellFormedReference();
}
