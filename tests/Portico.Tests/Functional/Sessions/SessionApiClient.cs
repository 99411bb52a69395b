using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// A trusted back end on the QPS REST API (mutual TLS with the development client certificate, Qlik's
/// xrfkey pair): creates sessions for a named user without any browser login, issues tickets, and ends
/// sessions as an administrator would.
/// </summary>
public sealed class SessionApiClient : IDisposable
{
    public const string XrfKey = "0123456789abcdef";

    private readonly HttpClient _client;

    public SessionApiClient(PorticoTestHost portico)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.For(portico.CaPath);
        handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(portico.DevelopmentClientCertificatePath, portico.DevelopmentClientKeyPath)];
        _client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{portico.QpsApiPort}/"), Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>POST /qps/{prefix}/session; returns the created session's JSON (UserDirectory, UserId, Attributes, SessionId).</summary>
    public async Task<JsonElement> CreateSessionAsync(string prefix, string userDirectory, string userId)
    {
        using var response = await SendCreateSessionAsync(prefix, new { UserDirectory = userDirectory, UserId = userId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"session API answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The id of a new session for the user: what the back end hands the browser as the session cookie's value.</summary>
    public async Task<string> CreateSessionIdAsync(string prefix, string userDirectory, string userId) =>
        (await CreateSessionAsync(prefix, userDirectory, userId)).GetProperty("SessionId").GetString()!;

    /// <summary>POST /qps/{prefix}/session with any body; the caller judges the answer.</summary>
    public Task<HttpResponseMessage> SendCreateSessionAsync(string prefix, object body) =>
        SendAsync(HttpMethod.Post, $"qps/{prefix}/session", body);

    /// <summary>POST /qps/{prefix}/ticket, optionally for the target a login redirect registered.</summary>
    public async Task<JsonElement> IssueTicketAsync(string prefix, string userDirectory, string userId, string? targetId = null)
    {
        using var response = await SendAsync(HttpMethod.Post, $"qps/{prefix}/ticket", new { UserDirectory = userDirectory, UserId = userId, TargetId = targetId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"ticket API answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<HttpResponseMessage> GetSessionAsync(string prefix, string sessionId) =>
        SendAsync(HttpMethod.Get, $"qps/{prefix}/session/{Uri.EscapeDataString(sessionId)}");

    public Task<HttpResponseMessage> DeleteSessionAsync(string prefix, string sessionId) =>
        SendAsync(HttpMethod.Delete, $"qps/{prefix}/session/{Uri.EscapeDataString(sessionId)}");

    public Task<HttpResponseMessage> DeleteUserAsync(string prefix, string userDirectory, string userId) =>
        SendAsync(HttpMethod.Delete, $"qps/{prefix}/user/{Uri.EscapeDataString(userDirectory)}/{Uri.EscapeDataString(userId)}");

    public void Dispose() => _client.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path + "?xrfkey=" + XrfKey);
        request.Headers.Add("X-Qlik-Xrfkey", XrfKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return _client.SendAsync(request);
    }
}
