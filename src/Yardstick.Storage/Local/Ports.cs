using System.Net;
using System.Net.Sockets;

namespace Yardstick.Storage.Local;

/// <summary>Loopback port checks for the launcher.</summary>
internal static class Ports
{
    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/> (we can bind it).</summary>
    public static bool IsFree(int port)
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

    /// <summary>
    /// <paramref name="count"/> distinct ports the OS reports free. They are released before Azurite binds them, so
    /// another process may take one first; the launcher then retries with new ports.
    /// </summary>
    public static int[] FindFree(int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
