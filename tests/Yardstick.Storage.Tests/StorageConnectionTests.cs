using Azure.Identity;
using Yardstick.Core;

namespace Yardstick.Storage.Tests;

public sealed class StorageConnectionTests
{
    // A syntactically valid, made-up key (base64 of 64 bytes); it grants nothing anywhere.
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 64).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public void Parse_UseDevelopmentStorage_GivesAzuriteOnTheDefaultPorts()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.True(connection.IsDevelopmentStorage);
        Assert.Equal(DevelopmentStorage.AccountName, connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Contains("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1", connection.ConnectionString, StringComparison.Ordinal);
        Assert.Null(connection.Credential);
    }

    [Fact]
    public void Parse_AccountKeyConnectionString_DerivesAllEndpoints()
    {
        var connection = StorageConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=benchacct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://benchacct.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://benchacct.queue.core.chinacloudapi.cn"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://benchacct.table.core.chinacloudapi.cn"), connection.TableEndpoint);
        Assert.Equal("benchacct", connection.AccountName);
        Assert.False(connection.IsDevelopmentStorage);
        Assert.NotNull(connection.ConnectionString);
        Assert.Equal(connection.TableEndpoint, connection.CreateTableServiceClient().Uri);
        Assert.Equal("benchacct", connection.CreateBlobServiceClient().AccountName);
    }

    [Fact]
    public void Parse_SasWithExplicitEndpoints_UsesThemWithoutTheQuery()
    {
        var connection = StorageConnection.Parse(
            "BlobEndpoint=https://acct.blob.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature=sv=2024-11-04&sig=abc%3D");

        Assert.Equal("acct", connection.AccountName);
        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net/"), connection.QueueEndpoint);
    }

    [Fact]
    public void Parse_ExplicitEmulatorEndpoints_IsDevelopmentStorage()
    {
        var connection = StorageConnection.Parse(DevelopmentStorage.ConnectionString(20000, 20001, 20002));

        Assert.True(connection.IsDevelopmentStorage);
        Assert.Equal(20002, connection.TableEndpoint.Port);
        Assert.Equal(20001, connection.QueueEndpoint?.Port);
    }

    [Theory]
    [InlineData("https://benchacct.blob.core.windows.net")]
    [InlineData("https://benchacct.table.core.windows.net/")]
    [InlineData("https://BenchAcct.queue.core.windows.net")]
    public void Parse_AccountUri_DerivesEndpointsAndUsesTheInjectedCredential(string uri)
    {
        var credential = new ClientSecretCredential("00000000-0000-0000-0000-000000000001", "client", "not-a-secret");

        var connection = StorageConnection.Parse(uri, credential);

        Assert.Null(connection.ConnectionString);
        Assert.Same(credential, connection.Credential);
        Assert.Equal("benchacct", connection.AccountName);
        Assert.Equal(new Uri("https://benchacct.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://benchacct.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://benchacct.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal(connection.BlobEndpoint, connection.CreateBlobServiceClient().Uri);
    }

    [Fact]
    public void Parse_AccountUriWithoutCredential_UsesDefaultAzureCredential()
    {
        var connection = StorageConnection.Parse("https://benchacct.blob.core.usgovcloudapi.net");

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Equal(new Uri("https://benchacct.table.core.usgovcloudapi.net"), connection.TableEndpoint);
        Assert.Contains("DefaultAzureCredential", connection.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("AccountName=acct")]
    [InlineData("AccountName=acct;AccountKey=not base64!!")]
    [InlineData("AccountKey=AAAA")]
    [InlineData("Foo=bar;AccountName=acct;AccountKey=AAAA")]
    [InlineData("AccountName=a;AccountName=b;AccountKey=AAAA")]
    [InlineData("UseDevelopmentStorage=false")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=acct;AccountKey=AAAA")]
    [InlineData("SharedAccessSignature=sv=1&sig=x;BlobEndpoint=https://acct.blob.core.windows.net")]
    [InlineData("SharedAccessSignature=sv=1&sig=x;BlobEndpoint=not a uri;TableEndpoint=https://acct.table.core.windows.net")]
    [InlineData("http://acct.blob.core.windows.net")]
    [InlineData("https://acct.blob.core.windows.net/container")]
    [InlineData("https://acct.blob.core.windows.net/?sv=1&sig=x")]
    [InlineData("https://example.com")]
    [InlineData("https://acct.vault.azure.net")]
    public void Parse_BadValue_ThrowsInputExceptionNamingTheSetting(string value)
    {
        var error = Assert.Throws<InputException>(() => StorageConnection.Parse(value));

        Assert.Equal("YARDSTICK_STORAGE", error.Field);
        Assert.StartsWith("YARDSTICK_STORAGE: ", error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedPartHoldingAKey_DoesNotEchoIt()
    {
        var error = Assert.Throws<InputException>(() => StorageConnection.Parse($"AccountName=acct;{Key}"));

        Assert.DoesNotContain(Key[..8], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_KeyAndSas_AreRedacted()
    {
        var withKey = StorageConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Key}");
        var withSas = StorageConnection.Parse(
            "BlobEndpoint=https://acct.blob.core.windows.net/?sv=1&sig=ENDPOINTSIG;TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature=sv=1&sig=TOPSIG");
        var dev = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Contains("AccountName=acct", withKey.Describe(), StringComparison.Ordinal);
        Assert.Contains("AccountKey=***", withKey.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, withKey.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, withKey.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSIG", withSas.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("ENDPOINTSIG", withSas.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentStorage.AccountKey, dev.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_UnsetOrSet_ReturnsNullOrTheParsedValue()
    {
        var before = Environment.GetEnvironmentVariable(StorageConnection.SettingName);
        try
        {
            Environment.SetEnvironmentVariable(StorageConnection.SettingName, null);
            Assert.Null(StorageConnection.FromEnvironment());
            Environment.SetEnvironmentVariable(StorageConnection.SettingName, "UseDevelopmentStorage=true");
            Assert.True(StorageConnection.FromEnvironment()?.IsDevelopmentStorage);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StorageConnection.SettingName, before);
        }
    }

    [Fact]
    public void StorageLayout_WithPrefix_PrefixesEveryNameAndRejectsBadPrefixes()
    {
        var layout = StorageLayout.Default.WithPrefix("t42");

        Assert.Equal(("t42Runs", "t42Baselines", "t42Verdicts", "t42Workloads", "t42-yardstick-runs"), (layout.RunsTable, layout.BaselinesTable, layout.VerdictsTable, layout.WorkloadsTable, layout.ArtifactsContainer));
        Assert.Throws<InputException>(() => StorageLayout.Default.WithPrefix("9bad"));
        Assert.Throws<InputException>(() => StorageLayout.Default.WithPrefix("Bad"));
    }
}
