using System.Text;
using Yardstick.Core;

namespace Yardstick.Storage;

/// <summary>
/// Parses and checks Azure Storage connection strings (<c>Key=Value;…</c>) for <see cref="StorageConnection"/>:
/// unknown keys, missing credentials and endpoints that cannot be derived are reported naming <c>YARDSTICK_STORAGE</c>
/// (never echoing the key or signature).
/// </summary>
internal static class StorageConnectionString
{
    private static readonly string[] KnownKeys =
    [
        "DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix", "SharedAccessSignature",
        "BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint", "UseDevelopmentStorage",
    ];

    private static readonly HashSet<string> SecretKeys = new(["AccountKey", "SharedAccessSignature"], StringComparer.OrdinalIgnoreCase);

    public static StorageConnection Parse(string text)
    {
        var pairs = Split(text);
        if (pairs.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!bool.TryParse(dev, out var useDev) || !useDev || pairs.Count > 1)
            {
                throw new InputException(StorageConnection.SettingName, "'UseDevelopmentStorage' must be exactly 'UseDevelopmentStorage=true' (an Azurite on ports 10000–10002); give a full connection string for any other emulator address.");
            }

            var devString = DevelopmentStorage.ConnectionString();
            return Build(devString, Split(devString), "UseDevelopmentStorage=true (Azurite on 127.0.0.1:10000–10002)");
        }

        return Build(text, pairs, Redact(pairs));
    }

    /// <summary>Renders the pairs with secret values masked and endpoint queries (which may hold a SAS) dropped.</summary>
    public static string Redact(IReadOnlyDictionary<string, string> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            var shown = SecretKeys.Contains(key) ? "***"
                : key.EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase) && value.Contains('?', StringComparison.Ordinal) ? value[..value.IndexOf('?', StringComparison.Ordinal)] + "?***"
                : value;
            builder.Append(key).Append('=').Append(shown).Append(';');
        }

        return builder.ToString();
    }

    private static StorageConnection Build(string connectionString, Dictionary<string, string> pairs, string description)
    {
        pairs.TryGetValue("AccountName", out var account);
        var hasKey = pairs.TryGetValue("AccountKey", out var key);
        var hasSas = pairs.ContainsKey("SharedAccessSignature");
        if (hasKey && string.IsNullOrEmpty(account))
        {
            throw new InputException(StorageConnection.SettingName, "has an AccountKey but no AccountName.");
        }

        if (hasKey && !IsBase64(key!))
        {
            throw new InputException(StorageConnection.SettingName, "AccountKey is not valid base64 (copy it again from the storage account's access keys).");
        }

        if (!hasKey && !hasSas)
        {
            throw new InputException(StorageConnection.SettingName, "the connection string has neither AccountKey nor SharedAccessSignature. For Microsoft Entra ID use the account URI alone (https://<account>.blob.core.windows.net).");
        }

        var protocol = pairs.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
        if (protocol is not ("http" or "https"))
        {
            throw new InputException(StorageConnection.SettingName, $"DefaultEndpointsProtocol must be http or https (was '{protocol}').");
        }

        var suffix = pairs.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri? Endpoint(string service, bool required)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..] + "Endpoint";
            if (pairs.TryGetValue(name, out var explicitValue))
            {
                return Uri.TryCreate(explicitValue, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? new UriBuilder(uri) { Query = "" }.Uri
                    : throw new InputException(StorageConnection.SettingName, $"{name} is not an absolute http(s) URI.");
            }

            if (!string.IsNullOrEmpty(account))
            {
                return new Uri($"{protocol}://{account}.{service}.{suffix}");
            }

            return required
                ? throw new InputException(StorageConnection.SettingName, $"cannot tell the {service} endpoint: give AccountName (with EndpointSuffix when not core.windows.net) or {name}.")
                : null;
        }

        var blob = Endpoint("blob", required: true)!;
        var queue = Endpoint("queue", required: false);
        var table = Endpoint("table", required: true)!;
        account ??= blob.Host.Split('.')[0];
        var isDev = string.Equals(account, DevelopmentStorage.AccountName, StringComparison.Ordinal);
        return StorageConnection.FromConnectionString(connectionString, account, blob, queue, table, isDev, description);
    }

    private static Dictionary<string, string> Split(string text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // The part is not echoed: it may be a pasted key.
                throw new InputException(StorageConnection.SettingName, $"part {i + 1} of the value is not a Key=Value pair; expected a connection string, 'UseDevelopmentStorage=true' or an https account URI.");
            }

            var key = part[..equals].Trim();

            // Key names are short words; anything else (such as a pasted base64 key with '=' padding) is not echoed.
            var shown = key.Length <= 40 && key.All(char.IsAsciiLetter) ? $"'{key}'" : $"in part {i + 1} (not shown)";
            var canonical = KnownKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException(StorageConnection.SettingName, $"unknown connection string key {shown} (known: {string.Join(", ", KnownKeys)}).");
            if (!pairs.TryAdd(canonical, part[(equals + 1)..].Trim()))
            {
                throw new InputException(StorageConnection.SettingName, $"'{canonical}' appears twice in the connection string.");
            }
        }

        if (pairs.Count == 0)
        {
            throw new InputException(StorageConnection.SettingName, "has no Key=Value pairs.");
        }

        return pairs;
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return value.Length > 0 && Convert.TryFromBase64String(value, buffer, out _);
    }
}
