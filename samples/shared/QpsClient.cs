using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Portico.Samples;

/// <summary>
/// Portico's QPS API (Qlik's port 4243) as a mashup's back end calls it: mutual TLS with a client
/// certificate Portico trusts, and Qlik's xrfkey pair (the same 16 characters in the query and the
/// <c>X-Qlik-Xrfkey</c> header). One-time tickets (<c>POST /qps/{prefix}/ticket</c>) and sessions
/// (<c>POST /qps/{prefix}/session</c>) for the back end's signed-in user.
/// </summary>
internal sealed class QpsClient(SampleOptions options) : IDisposable
{
    private const string XrfKeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Lazy<HttpClient> _client = new(() => CreateClient(options));

    /// <summary>A one-time ticket on the Ticket virtual proxy.</summary>
    public Task<string> TicketAsync(CancellationToken cancellationToken) =>
        PostAsync($"qps/{options.TicketPrefix}/ticket", "Ticket", cancellationToken);

    /// <summary>A new proxy session on the session API's virtual proxy; its id is the session cookie's value.</summary>
    public Task<string> SessionAsync(CancellationToken cancellationToken) =>
        PostAsync($"qps/{options.SessionApiPrefix}/session", "SessionId", cancellationToken);

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private async Task<string> PostAsync(string path, string answerField, CancellationToken cancellationToken)
    {
        var xrfKey = RandomNumberGenerator.GetString(XrfKeyAlphabet, 16);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}?xrfkey={xrfKey}");
        request.Headers.Add("X-Qlik-Xrfkey", xrfKey);
        request.Content = JsonContent.Create(new { UserDirectory = options.UserDirectory, UserId = options.UserId });
        using var response = await _client.Value.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The QPS API answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty(answerField).GetString()
            ?? throw new HttpRequestException($"The QPS API answered without {answerField}.");
    }

    private static HttpClient CreateClient(SampleOptions options)
    {
        var handler = new SocketsHttpHandler();
        if (options.QpsClientCertificatePath is { } certificatePath)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificatePath, options.QpsClientKeyPath)];
        }

        PorticoTls.TrustPorticoCa(handler, options);
        return new HttpClient(handler) { BaseAddress = options.QpsApiUrl, Timeout = TimeSpan.FromSeconds(15) };
    }
}
