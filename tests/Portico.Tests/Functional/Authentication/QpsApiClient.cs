using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Authentication;

/// <summary>A trusted back end calling the QPS REST API over mutual TLS, with Qlik's xrfkey pair.</summary>
internal sealed class QpsApiClient : IDisposable
{
    public const string XrfKey = "0123456789abcdef";
    private readonly HttpClient _client;

    /// <param name="port">Another listener with the QPS API's rules (the admin API's); the QPS API's by default.</param>
    public QpsApiClient(PorticoTestHost portico, X509Certificate2? clientCertificate = null, bool useDevelopmentCertificate = true, int? port = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.For(portico.CaPath);
        var certificate = clientCertificate ?? (useDevelopmentCertificate
            ? X509Certificate2.CreateFromPemFile(portico.DevelopmentClientCertificatePath, portico.DevelopmentClientKeyPath)
            : null);
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        _client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port ?? portico.QpsApiPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? xrfQuery = XrfKey, string? xrfHeader = XrfKey, IReadOnlyDictionary<string, string>? headers = null)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var request = new HttpRequestMessage(method, xrfQuery is null ? path : path + separator + "xrfkey=" + xrfQuery);
        if (xrfHeader is not null)
        {
            request.Headers.Add("X-Qlik-Xrfkey", xrfHeader);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = body is string text ? new StringContent(text, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        return _client.SendAsync(request);
    }

    public async Task<string> TicketAsync(string prefix, string userDirectory, string userId)
    {
        var response = await SendAsync(HttpMethod.Post, PrefixPath(prefix) + "ticket", new { UserDirectory = userDirectory, UserId = userId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("Ticket").GetString()!;
    }

    public async Task<string> SessionAsync(string prefix, string userDirectory, string userId)
    {
        var response = await SendAsync(HttpMethod.Post, PrefixPath(prefix) + "session", new { UserDirectory = userDirectory, UserId = userId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("SessionId").GetString()!;
    }

    public static string PrefixPath(string prefix) => prefix.Length == 0 ? "qps/" : $"qps/{prefix}/";

    public void Dispose() => _client.Dispose();
}
