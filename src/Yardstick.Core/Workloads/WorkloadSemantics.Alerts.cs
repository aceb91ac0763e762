using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath AlertsPath = DocPath.Root.Key("alerts");

    /// <summary>
    /// <c>alerts</c>: each channel has the fields its type needs (and no others); Slack and Teams URLs and GitHub tokens
    /// are secrets, so they must be <c>${env:NAME}</c> references that resolve; silence windows are ordered instants with
    /// a reason. Whether a URL may be reached (https, no private or link-local address) is decided when sending, for
    /// every resolved address.
    /// </summary>
    private void CheckAlerts()
    {
        if (_w.Alerts is not { } alerts)
        {
            return;
        }

        var doc = _doc.Map("alerts");
        for (var i = 0; i < alerts.Send.Count; i++)
        {
            var path = AlertsPath.Key("send").Index(i);
            if (_sink.HasStructuralAt(path) || _sink.HasStructuralAt(path.Key("type")))
            {
                continue;
            }

            CheckChannel(path, alerts.Send[i]);
        }

        foreach (var (node, path) in doc.List("silence"))
        {
            var window = doc.Sub(node, path);
            var from = window.String("from");
            var to = window.String("to");
            var fromAt = WorkloadMapper.Instant(from);
            var toAt = WorkloadMapper.Instant(to);
            if (from is not null && fromAt is null)
            {
                Error(path.Key("from"), $"'{Short(from)}' is not an ISO 8601 instant with a zone; write for example 2026-12-06T22:00:00Z.");
            }

            if (to is not null && toAt is null)
            {
                Error(path.Key("to"), $"'{Short(to)}' is not an ISO 8601 instant with a zone; write for example 2026-12-07T06:00:00Z.");
            }

            if (fromAt is { } f && toAt is { } t && t <= f)
            {
                Error(path.Key("to"), "must be after 'from'.");
            }

            if (window.String("reason") is { } reason && reason.Trim().Length == 0)
            {
                Error(path.Key("reason"), "is empty; say why alerts are silenced (it is recorded with every suppressed alert).");
            }
        }
    }

    private void CheckChannel(DocPath path, AlertChannelSpec channel)
    {
        var type = MapReader.CamelCase(channel.Type.ToString());
        if (channel.Type == AlertChannelType.Github)
        {
            if (channel.Url is not null)
            {
                Error(path.Key("url"), "does not apply to type github; give repo (owner/name) and token.");
            }

            if (channel.Repo is null)
            {
                Error(path.Key("repo"), "is required for type github (owner/name).");
            }
            else if (channel.Repo.Split('/').Any(part => part is "." or ".."))
            {
                // The name becomes part of the API path: a dot segment would walk out of /repos/{owner}/{repo}.
                Error(path.Key("repo"), "'.' and '..' are not repository names; write owner/name.");
            }

            if (channel.Token is null)
            {
                Error(path.Key("token"), "is required for type github: a ${env:NAME} reference to a token that may create issues.");
            }
            else
            {
                RequireReference(path.Key("token"), channel.Token, "a GitHub token");
            }

            return;
        }

        foreach (var (field, value) in new[] { ("repo", channel.Repo), ("token", channel.Token) })
        {
            if (value is not null)
            {
                Error(path.Key(field), $"applies to type github only, not {type}.");
            }
        }

        if (channel.Url is null)
        {
            Error(path.Key("url"), $"is required for type {type}.");
            return;
        }

        if (channel.Type is AlertChannelType.Slack or AlertChannelType.Teams)
        {
            // Whoever has a Slack or Teams webhook URL can post to the channel: it is a secret, and workloads are stored.
            if (!RequireReference(path.Key("url"), channel.Url, $"a {type} webhook URL"))
            {
                return;
            }
        }
        else if (!CheckReferences(path.Key("url"), channel.Url))
        {
            return;
        }

        var text = SecretReferences.HasReferences(channel.Url) ? SecretReferences.Resolve(channel.Url, path.Key("url").ToString(), _environment) : channel.Url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            // Never echo the value: it may have come from a secret.
            Error(path.Key("url"), "is not an absolute https URL" + (ReferenceEquals(text, channel.Url) ? "." : " (after resolving ${env:...} references)."));
        }
    }

    /// <summary>A value that must be exactly one <c>${env:NAME}</c> reference which resolves.</summary>
    private bool RequireReference(DocPath path, string value, string what)
    {
        if (!SecretReferences.HasReferences(value))
        {
            Error(path, $"{what} is a secret and workloads are stored with every run: put it in an environment variable and write ${{env:NAME}}.");
            return false;
        }

        return CheckReferences(path, value);
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
