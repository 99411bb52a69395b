using System.Net;

namespace Portico.Samples;

/// <summary>What the samples' back end needs to know about Portico and about itself.</summary>
public sealed record SampleOptions
{
    /// <summary>Portico as browsers reach it, e.g. <c>https://proxy.test:8443/</c>.</summary>
    public required Uri PorticoUrl { get; init; }

    /// <summary>
    /// Where the header front connects to reach Portico (its TLS still checks <see cref="PorticoUrl"/>'s
    /// host name): the sample runs on one machine, where the browser's host names do not resolve.
    /// </summary>
    public IPAddress PorticoAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The header front as browsers reach it (this back end on <see cref="SampleSites.Front"/>), e.g. <c>https://front.test:5443/</c>.</summary>
    public Uri? FrontUrl { get; init; }

    /// <summary>The app whose data the pages show.</summary>
    public string AppId { get; init; } = "Sales Demo.qvf";

    /// <summary>The samples folder: each <c>samples/&lt;method&gt;/</c> with a page is served at <c>/&lt;method&gt;/</c>.</summary>
    public required string SamplesDirectory { get; init; }

    /// <summary>The samples' npm packages (<c>samples/node_modules</c>): enigma.js, stardust and @qlik/api for the pages.</summary>
    public required string PackagesDirectory { get; init; }

    /// <summary>The user the back end vouches for. A real back end takes it from its own login.</summary>
    public string UserDirectory { get; init; } = "MASHUP";

    /// <inheritdoc cref="UserDirectory"/>
    public string UserId { get; init; } = "alice";

    /// <summary>PEM private key (RSA) the back end signs its users' JWTs with; Portico holds the public half.</summary>
    public required string JwtPrivateKeyPem { get; init; }

    /// <summary>The <c>aud</c> claim; the virtual proxy's <c>jwtAudience</c>.</summary>
    public string JwtAudience { get; init; } = "portico-demo";

    /// <summary>Portico's QPS API as the back end reaches it, e.g. <c>https://localhost:4243/</c>; null turns tickets and the session API off.</summary>
    public Uri? QpsApiUrl { get; init; }

    /// <summary>Client certificate (PEM) and key the QPS API trusts.</summary>
    public string? QpsClientCertificatePath { get; init; }

    /// <inheritdoc cref="QpsClientCertificatePath"/>
    public string? QpsClientKeyPath { get; init; }

    /// <summary>CA (PEM) Portico's server certificates chain to; null trusts the system's CAs.</summary>
    public string? PorticoCaPath { get; init; }

    /// <summary>The Ticket virtual proxy of samples/ticket.</summary>
    public string TicketPrefix { get; init; } = "ticket";

    /// <summary>The virtual proxy samples/session-api creates sessions on, and its cookie.</summary>
    public string SessionApiPrefix { get; init; } = "session-api";

    /// <inheritdoc cref="SessionApiPrefix"/>
    public string SessionApiCookieName { get; init; } = "X-Qlik-Session-session-api";

    /// <summary>
    /// The domain the session API cookie is set on: Portico's host (or a parent of it) that the
    /// sample's page shares, e.g. <c>proxy.test</c> for a page on <c>app.proxy.test</c>.
    /// </summary>
    public string SessionApiCookieDomain => PorticoUrl.Host;

    /// <summary>The header samples/header's front sets towards Portico (<c>headerAuthenticationHeaderName</c>).</summary>
    public string HeaderName { get; init; } = "X-Portico-User";

    /// <summary>
    /// The address the header front connects from: the only one Portico's header virtual proxy
    /// trusts (<c>headerAuthenticationTrustedNetworks</c>), so a browser on this machine cannot set the header itself.
    /// </summary>
    public IPAddress FrontLocalAddress { get; init; } = IPAddress.Parse("127.0.0.2");
}
