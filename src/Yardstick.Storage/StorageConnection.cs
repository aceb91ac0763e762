using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Yardstick.Core;

namespace Yardstick.Storage;

/// <summary>
/// Where Yardstick keeps its tables and blobs, parsed from the <c>YARDSTICK_STORAGE</c> setting:
/// <list type="bullet">
/// <item><c>UseDevelopmentStorage=true</c>: an Azurite already listening on the default ports 10000–10002;</item>
/// <item>any Azure Storage connection string (account key or <c>SharedAccessSignature</c>, derived or explicit endpoints);</item>
/// <item>an account endpoint URI such as <c>https://acct.blob.core.windows.net</c> (any of the account's service
/// hosts): the blob, queue and table endpoints are derived from it and requests are authorized with Microsoft Entra ID
/// through <see cref="DefaultAzureCredential"/> or an injected <see cref="TokenCredential"/>.</item>
/// </list>
/// When the setting is unset the CLI starts its own Azurite (<see cref="Local.AzuriteLauncher"/>) instead.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The environment variable (and configuration key) that names the storage.</summary>
    public const string SettingName = "YARDSTICK_STORAGE";

    private static readonly string[] Services = ["blob", "queue", "table", "file", "dfs", "web"];

    private readonly string _description;

    private StorageConnection(string? connectionString, TokenCredential? credential, string accountName, Uri blob, Uri? queue, Uri table, bool isDevelopmentStorage, string description)
    {
        ConnectionString = connectionString;
        Credential = credential;
        AccountName = accountName;
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        IsDevelopmentStorage = isDevelopmentStorage;
        _description = description;
    }

    /// <summary>The connection string (for SDK clients and the Durable Task storage provider), or null for the endpoint + credential form. Contains secrets: never log it.</summary>
    public string? ConnectionString { get; }

    /// <summary>The token credential of the endpoint form, or null when <see cref="ConnectionString"/> is used.</summary>
    public TokenCredential? Credential { get; }

    public string AccountName { get; }

    /// <summary>Blob service endpoint (without any SAS query).</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Queue service endpoint (the Durable Task engine needs it), or null when a connection string names none and none can be derived.</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>Table service endpoint (without any SAS query).</summary>
    public Uri TableEndpoint { get; }

    /// <summary>True for the emulator account (<c>devstoreaccount1</c>).</summary>
    public bool IsDevelopmentStorage { get; }

    /// <summary>Parses the value of <c>YARDSTICK_STORAGE</c>; throws an <see cref="InputException"/> naming that setting when it is not usable.</summary>
    /// <param name="value">The setting's value.</param>
    /// <param name="credential">Credential for the endpoint-URI form; <see cref="DefaultAzureCredential"/> when null.</param>
    public static StorageConnection Parse(string? value, TokenCredential? credential = null)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InputException(SettingName, "is empty: set a storage connection string, 'UseDevelopmentStorage=true' or an account URI such as https://<account>.blob.core.windows.net.");
        }

        return LooksLikeUri(text)
            ? FromAccountUri(text, credential)
            : StorageConnectionString.Parse(text);
    }

    /// <summary>The storage named by the <c>YARDSTICK_STORAGE</c> environment variable, or null when it is unset or blank.</summary>
    public static StorageConnection? FromEnvironment(TokenCredential? credential = null)
    {
        var value = Environment.GetEnvironmentVariable(SettingName);
        return string.IsNullOrWhiteSpace(value) ? null : Parse(value, credential);
    }

    /// <summary>One line that names the storage without secrets (account keys and SAS signatures are masked).</summary>
    public string Describe() => _description;

    public override string ToString() => _description;

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) => ConnectionString is not null
        ? new TableServiceClient(ConnectionString, options)
        : new TableServiceClient(TableEndpoint, Credential!, options);

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) => ConnectionString is not null
        ? new BlobServiceClient(ConnectionString, options)
        : new BlobServiceClient(BlobEndpoint, Credential!, options);

    internal static StorageConnection FromConnectionString(string connectionString, string accountName, Uri blob, Uri? queue, Uri table, bool isDevelopmentStorage, string description) =>
        new(connectionString, null, accountName, blob, queue, table, isDevelopmentStorage, description);

    private static bool LooksLikeUri(string text) =>
        (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && !text.Contains(';', StringComparison.Ordinal);

    private static StorageConnection FromAccountUri(string text, TokenCredential? credential)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new InputException(SettingName, $"'{text}' is not a valid URI.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InputException(SettingName, "an account URI must use https (Microsoft Entra ID tokens are never sent over http); use a connection string for other endpoints.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InputException(SettingName, "an account URI must not carry a query or user info; put a SAS in a connection string (SharedAccessSignature=…) instead.");
        }

        if (uri.AbsolutePath is not ("/" or ""))
        {
            throw new InputException(SettingName, $"'{uri.GetLeftPart(UriPartial.Authority)}{uri.AbsolutePath}' has a path; give the account endpoint only, such as https://<account>.blob.core.windows.net.");
        }

        // <account>.<service>.<suffix>: derive the other services of the same account.
        var labels = uri.Host.Split('.');
        if (labels.Length < 3 || !Services.Contains(labels[1], StringComparer.OrdinalIgnoreCase) || labels[0].Length == 0)
        {
            throw new InputException(SettingName, $"cannot derive the blob, queue and table endpoints from host '{uri.Host}': expected <account>.blob|queue|table.<suffix>, for example https://myaccount.blob.core.windows.net.");
        }

        var account = labels[0].ToLowerInvariant();
        var suffix = string.Join('.', labels.Skip(2));
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Uri Endpoint(string service) => new($"https://{account}.{service}.{suffix}{port}");

        var blob = Endpoint("blob");
        var queue = Endpoint("queue");
        var table = Endpoint("table");
        credential ??= new DefaultAzureCredential();
        var description = $"{blob} (+ queue, table) with Microsoft Entra ID ({credential.GetType().Name})";
        return new StorageConnection(null, credential, account, blob, queue, table, isDevelopmentStorage: false, description);
    }
}
