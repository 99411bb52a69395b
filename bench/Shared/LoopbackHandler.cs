using System.Net.Security;

namespace Portico.Bench.Shared;

/// <summary>The HTTP handler of the load tools: no cookie jar (cookies are handled per simulated browser), no redirects.</summary>
internal static class LoopbackHandler
{
    public static SocketsHttpHandler Create(int maxConnectionsPerServer = int.MaxValue) => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = maxConnectionsPerServer,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        SslOptions = new SslClientAuthenticationOptions
        {
            // Loopback only, against the benchmark's self-signed and development certificates.
#pragma warning disable CA5359
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        },
    };
}
