using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Portico.DemoEngine;

/// <summary>
/// Standalone entry point: <c>--urls http://127.0.0.1:4747 --node-name engine-1</c>; for the trust
/// modes of real engines, <c>--urls https://… --certificate server.pem --certificate-key server_key.pem</c>
/// plus <c>--client-ca root.pem</c> (client certificates required, as Qlik Sense Enterprise) and/or
/// <c>--jwt-public-key key.pem</c> (bearer tokens required, as Qlik Core). A named,
/// internal class rather than top-level statements, so that no global <c>Program</c> type clashes
/// with the proxy host that references this assembly.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = new ConfigurationBuilder().AddCommandLine(args).Build();
        var defaults = new DemoEngineOptions();
        var options = new DemoEngineOptions
        {
            // Only the first of several ';'-separated URLs is used: one engine, one address.
            Url = (arguments["urls"] ?? defaults.Url).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0],
            NodeName = arguments["node-name"] ?? defaults.NodeName,
            ServerCertificate = arguments["certificate"] is { } certificate
                ? X509Certificate2.CreateFromPemFile(certificate, arguments["certificate-key"] ?? throw new ArgumentException("--certificate needs --certificate-key (the certificate's PEM private key)."))
                : null,
            ClientCertificateAuthority = arguments["client-ca"] is { } clientCa ? X509CertificateLoader.LoadCertificate(PemCertificate(clientCa)) : null,
            JwtPublicKeyPem = arguments["jwt-public-key"] is { } jwtKey ? File.ReadAllText(jwtKey) : null,
        };

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Information)
            // Per-request hosting logs drown the engine's own socket messages.
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        await using var server = await DemoEngineServer.StartAsync(options, loggerFactory, stop.Token).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: fall through to an orderly stop.
        }

        return 0;
    }

    private static byte[] PemCertificate(string path)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return certificate.RawData;
    }
}
