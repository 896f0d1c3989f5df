using System.Net;
using System.Net.Sockets;

namespace DataRights.Testing;

/// <summary>Loopback ports for servers a test starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port the system just handed out as free (another socket may still take it before it is bound).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
