using System.Net;
using System.Net.Sockets;

namespace Stepwise.Testing;

/// <summary>Ports on the loopback interface for the servers and listeners tests start.</summary>
public static class LocalPorts
{
    /// <summary>A port nothing listens on just now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
