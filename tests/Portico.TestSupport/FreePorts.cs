using System.Net;
using System.Net.Sockets;

namespace Portico.TestSupport;

/// <summary>
/// A port on 127.0.0.1 that the system just handed out, for a process that must be told its port
/// before it starts (a child Portico, PostgreSQL, a provider). Prefer port 0 where the listener can
/// report what it bound.
/// </summary>
public static class FreePorts
{
    public static int Loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
