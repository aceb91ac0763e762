using System.Globalization;

namespace Yardstick.Storage;

/// <summary>
/// The storage emulator's well-known account. Its key is published in the Azurite documentation and works only
/// against an emulator, so it is no secret; connection strings are still redacted when described.
/// </summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultBlobPort = 10000;

    public const int DefaultQueuePort = 10001;

    public const int DefaultTablePort = 10002;

    /// <summary>A connection string for an emulator on <paramref name="host"/> with explicit endpoints on the given ports.</summary>
    public static string ConnectionString(int blobPort = DefaultBlobPort, int queuePort = DefaultQueuePort, int tablePort = DefaultTablePort, string host = "127.0.0.1") =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
            + $"BlobEndpoint=http://{host}:{blobPort}/{AccountName};QueueEndpoint=http://{host}:{queuePort}/{AccountName};TableEndpoint=http://{host}:{tablePort}/{AccountName};");
}
