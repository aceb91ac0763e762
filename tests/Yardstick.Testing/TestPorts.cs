using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Yardstick.Testing;

/// <summary>
/// Loopback ports for tests that must name a port before something binds it (a child process's <c>--urls</c>, the
/// in-process Durable host's gRPC sidecar, a port that must refuse connections).
/// </summary>
/// <remarks>
/// A port from <c>bind(0)</c> comes from the kernel's ephemeral range (here 32768–60999). Released and bound again a
/// moment later it may already be the local end of some other test's outgoing connection: on a 2-core runner with
/// every test assembly in parallel that happens ("address already in use"). So ports come from below the ephemeral
/// range, where the kernel never picks local ends, and each one is reserved across test processes by an exclusive
/// lock file held until this process exits: two test processes never get the same port, and a port whose owner
/// died is free again.
/// </remarks>
public static class TestPorts
{
    /// <summary>Below every Linux/Windows/macOS default ephemeral range (32768, 49152), above well-known services.</summary>
    private const int First = 20000;
    private const int Last = 32000;

    private static readonly ConcurrentDictionary<int, FileStream> Held = new();
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "yardstick-test-ports");

    /// <summary>
    /// A loopback port nothing listens on now, outside the ephemeral range, that no other test process (using this
    /// class) holds. Bind it soon; nothing else in this process will be given it again.
    /// </summary>
    public static int Reserve()
    {
        Directory.CreateDirectory(Folder);
        var random = Random.Shared;
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            var port = random.Next(First, Last);
            if (Held.ContainsKey(port) || !CanBind(port))
            {
                continue;
            }

            FileStream? lockFile = null;
            try
            {
                // FileShare.None: a second process opening the same file fails until this one exits (or is killed).
                lockFile = new FileStream(Path.Combine(Folder, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue;
            }

            if (Held.TryAdd(port, lockFile))
            {
                return port;
            }

            lockFile.Dispose();
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last} after 2000 tries.");
    }

    /// <summary>A reserved port that nothing listens on: connections to it are refused.</summary>
    public static int Closed() => Reserve();

    /// <summary>True when an exception (or one inside it) says a listener could not bind because the address is taken.</summary>
    public static bool IsAddressInUse(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || e.GetType().Name == "AddressInUseException"
                || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
