using System.Net;
using System.Net.Http.Headers;
using Portico.Configuration;
using Portico.Tests.Functional.Authentication;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// A client that sends its credential with every request (a bearer JWT, a trusted header) and never
/// the cookie: the session the credential made is found again and every use counts as activity, so
/// it stays alive while in use, past the 30-minute inactivity timeout, in one session. Time is
/// virtual; each test has its own Portico, so no other session can end meanwhile.
/// </summary>
public sealed class PerRequestCredentialSessionTests : IAsyncLifetime
{
    private const string Jwt = "jwt";
    private const string Header = "header";
    private const string HeaderName = "X-Portico-User";
    private const int IdleMinutes = 30;

    private SessionsHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SessionsHost.StartAsync(engine =>
        [
            SessionsHost.LoginRequired(Jwt, engine) with
            {
                SessionInactivityTimeout = IdleMinutes,
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
            },
            SessionsHost.LoginRequired(Header, engine) with
            {
                SessionInactivityTimeout = IdleMinutes,
                AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
                HeaderAuthenticationHeaderName = HeaderName,
                HeaderAuthenticationStaticUserDirectory = "DEMO",
            },
        ]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BearerToken_EveryTenMinutesForFiftyMinutes_StaysInOneSession()
    {
        // Valid for longer than the virtual time the test spends.
        var token = TestTokens.Valid("alice", lifetime: TimeSpan.FromHours(2));

        await AssertOneLiveSessionThroughoutAsync(Jwt, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
    }

    [Fact]
    public async Task TrustedHeader_EveryTenMinutesForFiftyMinutes_StaysInOneSession()
    {
        await AssertOneLiveSessionThroughoutAsync(Header, request => request.Headers.Add(HeaderName, "alice"));
    }

    /// <summary>
    /// Requests at 0, 10, ... 50 minutes, each with the credential and without any cookie: every one
    /// reaches the engine in the same session (the engine's X-Qlik-ProxySession), and none ends.
    /// </summary>
    private async Task AssertOneLiveSessionThroughoutAsync(string prefix, Action<HttpRequestMessage> addCredential)
    {
        var proxySessions = new List<string>();
        for (var minute = 0; minute <= 50; minute += 10)
        {
            if (minute > 0)
            {
                _host.Advance(TimeSpan.FromMinutes(10));
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, $"{prefix}/{SessionsHost.EchoPath}");
            addCredential(request);
            using var response = await _host.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"minute {minute}: {(int)response.StatusCode} {body}");
            proxySessions.Add(ProxyHygieneTests.EchoedHeaders(body)["x-qlik-proxysession"]);
        }

        Assert.Single(proxySessions.Distinct(StringComparer.Ordinal));
        Assert.DoesNotContain(_host.Portico.Logs.Lines, l => l.Message.StartsWith("Session ended", StringComparison.Ordinal));
    }
}
