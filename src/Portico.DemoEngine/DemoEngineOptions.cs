using System.Security.Cryptography.X509Certificates;

namespace Portico.DemoEngine;

/// <summary>How to start a <see cref="DemoEngineServer"/>.</summary>
public sealed record DemoEngineOptions
{
    /// <summary>
    /// The address to listen on: http://, or https:// with <see cref="ServerCertificate"/>; port 0 picks
    /// a free port (see <see cref="DemoEngineServer.BaseAddress"/>).
    /// Use an IP literal: Kestrel cannot bind a dynamic port on "localhost".
    /// </summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>The name the engine reports in its health check and echo responses, so tests can tell nodes apart.</summary>
    public string NodeName { get; init; } = "engine-1";

    /// <summary>The engine's TLS certificate, with its private key; required for an https:// <see cref="Url"/>.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>
    /// Like Qlik Sense Enterprise: every connection must present a client certificate that chains to
    /// this CA (Qlik's root.pem), and X-Qlik-User is believed only over such a connection. Needs https.
    /// </summary>
    public X509Certificate2? ClientCertificateAuthority { get; init; }

    /// <summary>
    /// Like Qlik Core with ValidateJsonWebTokens: every request and upgrade (the health check aside)
    /// must carry <c>Authorization: Bearer</c> with a token this PEM public key or certificate
    /// verifies; its <c>sub</c> and <c>userDirectory</c> claims name the user. Without, or with a
    /// bad or expired token: 401.
    /// </summary>
    public string? JwtPublicKeyPem { get; init; }
}
