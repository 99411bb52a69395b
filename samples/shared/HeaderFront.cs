using System.Net;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Samples;

/// <summary>
/// The trusted front of samples/header: <c>/front/{path}</c> is forwarded (by YARP) to Portico's
/// <c>/{path}</c> with the authentication header set to the front's signed-in user, whatever the
/// client sent. It connects from <see cref="SampleOptions.FrontLocalAddress"/>, the only address
/// Portico's header virtual proxy believes the header from. A real front (an SSO gateway, IIS with
/// Kerberos) takes the user from its own login; this one vouches for <see cref="SampleOptions.UserId"/>.
/// </summary>
internal static class HeaderFront
{
    public const string PathPrefix = "/front";

    public static void Map(WebApplication app, SampleOptions options)
    {
        var destination = options.PorticoUrl.GetLeftPart(UriPartial.Authority);
        var client = new HttpMessageInvoker(CreateHandler(options));
        app.MapForwarder(PathPrefix + "/{**path}", destination, ForwarderRequestConfig.Empty, new Transformer(options), client);
    }

    private static SocketsHttpHandler CreateHandler(SampleOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Portico's host name is the browsers' (it need not resolve here): connect to its
            // address, from the one address its header virtual proxy trusts.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(options.PorticoAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(options.FrontLocalAddress, 0));
                    await socket.ConnectAsync(new IPEndPoint(options.PorticoAddress, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        PorticoTls.TrustPorticoCa(handler, options);
        return handler;
    }

    private sealed class Transformer(SampleOptions options) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            var path = httpContext.Request.Path.Value![PathPrefix.Length..];
            proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(path), httpContext.Request.QueryString);
            // Portico's own host name, for its routing and for TLS (SNI and the certificate's name).
            proxyRequest.Headers.Host = null;
            // The header is the front's to set: a client's copy, in any case, never passes.
            proxyRequest.Headers.Remove(options.HeaderName);
            proxyRequest.Headers.TryAddWithoutValidation(options.HeaderName, options.UserId);
        }
    }
}
