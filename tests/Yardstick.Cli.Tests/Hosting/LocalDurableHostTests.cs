using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Yardstick.Cli.Hosting;
using Yardstick.Storage;

namespace Yardstick.Cli.Tests.Hosting;

/// <summary>The task hub's storage clients for each form of <c>YARDSTICK_STORAGE</c>.</summary>
public sealed class LocalDurableHostTests
{
    [Fact]
    public void CreateClientProvider_AccountUri_UsesTheAccountsThreeEndpointsAndTheCredential()
    {
        var credential = new RecordingCredential();
        var storage = StorageConnection.Parse("https://ysresults.blob.core.windows.net", credential);

        var provider = LocalDurableHost.CreateClientProvider(storage);

        Assert.Equal(new Uri("https://ysresults.blob.core.windows.net/"), provider.Blob.CreateClient(new BlobClientOptions()).Uri);
        Assert.Equal(new Uri("https://ysresults.queue.core.windows.net/"), provider.Queue.CreateClient(new QueueClientOptions()).Uri);
        Assert.Equal("ysresults", provider.Table.CreateClient(new TableClientOptions()).AccountName);
    }

    [Fact]
    public void CreateClientProvider_ConnectionString_UsesIt()
    {
        var storage = StorageConnection.Parse(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");

        var provider = LocalDurableHost.CreateClientProvider(storage);

        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), provider.Queue.CreateClient(new QueueClientOptions()).Uri);
    }

    /// <summary>Never asked for a token here: creating clients does not authenticate.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no token expected while only creating clients");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no token expected while only creating clients");
    }
}
