using System.Net.Http;
using System.Net.Sockets;
using Yardstick.Cli.Commands;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>
/// The one line <see cref="HostFailure"/> makes of the exceptions the host's machinery throws (shapes as the Azure SDK
/// and the runtime produce them; the end-to-end tests in <c>EndToEnd/HostFailureTests</c> get them for real).
/// </summary>
public sealed class HostFailureDescribeTests
{
    [Fact]
    public void Describe_SdkRetriesExhaustedOnARefusedPort_NamesTheEndpointAndResume()
    {
        // Azure.Core's "Retry failed after 4 tries" wraps HttpRequestException → SocketException, as the user saw.
        var refused = new HttpRequestException("Connection refused (127.0.0.1:10002)", new SocketException((int)SocketError.ConnectionRefused));
        var retries = new AggregateException("Retry failed after 4 tries. Retry settings can be adjusted in ClientOptions.Retry.", refused, refused, refused, refused);

        var line = HostFailure.Describe(new RunHostException("20261206-030000-abcdef", retries));

        Assert.Equal(
            "storage at 127.0.0.1:10002 refused the connection (is Azurite or the storage account up?); the run is in the task hub, 'yardstick resume 20261206-030000-abcdef' finishes it.",
            line);
    }

    [Fact]
    public void Describe_NoSpaceLeftBeforeAnyRun_SaysDiskFullAndToFreeSpace()
    {
        var full = new IOException("No space left on device : '/home/u/.yardstick/azurite/__blobstorage__/x'", 28);

        var line = HostFailure.Describe(new InvalidOperationException("could not start", full));

        Assert.StartsWith("the disk is full (No space left on device : '/home/u/.yardstick/azurite/__blobstorage__/x'); free some space; ", line, StringComparison.Ordinal);
        Assert.EndsWith("fix it and run the command again.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Storage500_SaysStorageFailsRequests()
    {
        var line = HostFailure.Describe(new RunHostException("20261206-030000-abcdef", new global::Azure.RequestFailedException(500, "Service request failed.")));

        Assert.StartsWith("storage fails requests (500 without an error code: a full disk under it, or an outage); the run is in the task hub", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_TaskHubTableGoneUnderARun_SaysItCannotBeResumed()
    {
        var gone = new global::Azure.RequestFailedException(404, "The table specified does not exist.", "TableNotFound", null);

        var line = HostFailure.Describe(new RunHostException("20261206-030000-abcdef", new AggregateException(gone)));

        Assert.Equal(
            "storage no longer has the task hub (404 TableNotFound: it lost its data, e.g. an emulator killed before it saved); run 20261206-030000-abcdef cannot be resumed, start it again.",
            line);
    }

    [Fact]
    public void Describe_UnknownFailureWithAMultiLineMessage_OneLineNamingTheInnermostType()
    {
        var line = HostFailure.Describe(new InvalidOperationException("outer", new FormatException("first line\n   at Some.Stack.Frame()")));

        Assert.Equal("the local host failed (FormatException: first line); fix it and run the command again.", line);
        Assert.DoesNotContain('\n', line);
    }
}
