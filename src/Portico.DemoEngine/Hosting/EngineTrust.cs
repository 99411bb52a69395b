using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Hosting;

/// <summary>How the engine is reached (TLS, client certificates) and whom it believes (<see cref="EngineTrustMiddleware"/>).</summary>
internal static class EngineTrust
{
    /// <summary>Refuses options that would not do what they say: TLS settings without https, https without a certificate.</summary>
    public static void Validate(DemoEngineOptions options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Url '{options.Url}' is not an absolute http:// or https:// address.", nameof(options));
        }

        var https = url.Scheme == Uri.UriSchemeHttps;
        if (https && options.ServerCertificate is not { HasPrivateKey: true })
        {
            throw new ArgumentException("An https:// Url needs ServerCertificate, with its private key.", nameof(options));
        }

        if (!https && (options.ServerCertificate is not null || options.ClientCertificateAuthority is not null))
        {
            throw new ArgumentException("ServerCertificate and ClientCertificateAuthority need an https:// Url.", nameof(options));
        }
    }

    public static void ConfigureListener(IWebHostBuilder webHost, DemoEngineOptions options)
    {
        if (options.ServerCertificate is not { } serverCertificate)
        {
            return;
        }

        webHost.UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = serverCertificate;
            if (options.ClientCertificateAuthority is { } authority)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(authority, certificate);
            }
        }));
    }

    public static void UseTrust(WebApplication app, DemoEngineOptions options, ILoggerFactory loggerFactory)
    {
        var jwt = options.JwtPublicKeyPem is { } pem ? new EngineJwtValidator(pem) : null;
        if (options.ClientCertificateAuthority is null && jwt is null)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger<EngineTrustMiddleware>();
        app.Use(next => new EngineTrustMiddleware(next, options.ClientCertificateAuthority is not null, jwt, logger).InvokeAsync);
    }

    /// <summary>The client's certificate chains to the configured CA alone (the system's roots do not count); Qlik's CA publishes no revocation list.</summary>
    private static bool ChainsTo(X509Certificate2 authority, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
