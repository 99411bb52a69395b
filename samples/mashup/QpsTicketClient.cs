using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Portico.Samples.Mashup;

/// <summary>
/// Asks Portico's QPS API (Qlik's port 4243) for a one-time ticket: mutual TLS with a client
/// certificate Portico trusts, and Qlik's xrfkey pair (the same 16 characters in the query and the
/// <c>X-Qlik-Xrfkey</c> header).
/// </summary>
internal sealed class QpsTicketClient(MashupOptions options) : IDisposable
{
    private const string XrfKeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lazy<HttpClient> _client = new(() => CreateClient(options));

    public async Task<string> TicketAsync(CancellationToken cancellationToken)
    {
        var xrfKey = RandomNumberGenerator.GetString(XrfKeyAlphabet, 16);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"qps/{options.TicketPrefix}/ticket?xrfkey={xrfKey}");
        request.Headers.Add("X-Qlik-Xrfkey", xrfKey);
        request.Content = JsonContent.Create(new { UserDirectory = options.UserDirectory, UserId = options.UserId });
        using var response = await _client.Value.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The QPS API answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("Ticket").GetString()
            ?? throw new HttpRequestException("The QPS API answered without a ticket.");
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static HttpClient CreateClient(MashupOptions options)
    {
        var handler = new SocketsHttpHandler();
        if (options.QpsClientCertificatePath is { } certificatePath)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificatePath, options.QpsClientKeyPath)];
        }

        if (options.PorticoCaPath is { } caPath)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca, certificate, errors);
        }

        return new HttpClient(handler) { BaseAddress = options.QpsApiUrl, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>Trusts exactly the given CA (and still checks the host name), instead of turning verification off.</summary>
    private static bool ChainsTo(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
