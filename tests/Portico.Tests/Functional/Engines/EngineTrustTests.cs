using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portico.Forwarding;
using Portico.TestSupport;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Engines;

/// <summary>
/// Portico reaches engines that trust only the proxy, the way real ones do: a Qlik Sense Enterprise
/// engine by the client certificate Qlik exports, a Qlik Core engine by a JWT Portico signs; and the
/// engines refuse whoever comes without them.
/// </summary>
public sealed class EngineTrustTests(EngineTrustFixture fixture) : IClassFixture<EngineTrustFixture>
{
    private PorticoTestHost Portico => fixture.Portico;

    [Fact]
    public async Task SenseEngine_EnigmaThroughPorticoWithQliksExportedCertificate_ReachesTheEngineAsTheUser()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{Portico.HttpsPort}/app/engineData",
            CaFile = Portico.CaPath,
            Steps = [EnigmaSteps.GetDocList, EnigmaSteps.GetAuthenticatedUser],
        });

        Assert.True(result.Ok, result.RawJson);
        var user = result.Result(EnigmaSteps.GetAuthenticatedUser).GetString();
        Assert.StartsWith("UserDirectory=ANONYMOUS; UserId=anon-", user, StringComparison.Ordinal);
        var upgrade = fixture.SenseEngine.ObservedRequests.Last(r => r.IsWebSocket && r.Headers.GetValueOrDefault("x-qlik-user") == user);
        Assert.Equal("SecureRequest=true; Context=AppAccess;", upgrade.Headers["x-qlik-security"]);
        Assert.Equal($"ProxyId={ProxyIdentity.FromPublicHost("localhost"):D}; Prefix=", upgrade.Headers["x-qlik-proxyid"]);
        Assert.Equal("", upgrade.Headers["x-qlik-virtual-proxy-prefix"]);
    }

    [Fact]
    public async Task SenseEngine_PinnedThumbprintInsteadOfRoot_ReachesTheEngine()
    {
        using var client = Portico.CreateClient();
        var response = await client.GetAsync("/pinned/portico-demo/echo/pinned");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("sense", echo.RootElement.GetProperty("nodeName").GetString());
        Assert.Equal("pinned", echo.RootElement.GetProperty("headers").GetProperty("x-qlik-virtual-proxy-prefix").GetString());
    }

    [Fact]
    public async Task SenseEngine_CertificateNotPinned_PorticoRefusesTheEngineAndLogsWhy()
    {
        var marker = "wrongpin-" + Guid.NewGuid().ToString("n");
        using var client = Portico.CreateClient();
        var response = await client.GetAsync($"/wrongpin/portico-demo/echo/{marker}");

        Assert.True((int)response.StatusCode is 502 or 503, $"status {(int)response.StatusCode}");
        Assert.False(fixture.SenseEngine.Saw(marker));
        await Eventually.TrueAsync(() => Portico.Logs.Lines.Any(e => e.Message.Contains("is not in trustedServerThumbprints", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the refusal in the log");
    }

    [Fact]
    public async Task SenseEngine_ClientCertificateOfAnotherCa_IsRefusedByTheEngine()
    {
        var marker = "impostor-" + Guid.NewGuid().ToString("n");
        using var client = Portico.CreateClient();
        var response = await client.GetAsync($"/impostor/portico-demo/echo/{marker}");

        Assert.True((int)response.StatusCode is 502 or 503, $"status {(int)response.StatusCode}");
        Assert.False(fixture.SenseEngine.Saw(marker));
        Assert.Contains(Portico.Logs.Lines, l => l.EventId == 8002 && l.Message.Contains("virtual proxy impostor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SenseEngine_DirectWithoutClientCertificate_RefusesTheHandshake()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => DirectToSenseAsync(clientCertificate: null));
    }

    [Fact]
    public async Task SenseEngine_DirectWithImpostorCertificate_RefusesTheHandshake()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => DirectToSenseAsync(fixture.Certificates.ImpostorClient));
    }

    [Fact]
    public async Task SenseEngine_DirectWithQliksClientCertificate_BelievesXQlikUser()
    {
        var echo = await DirectToSenseAsync(fixture.Certificates.Client);

        Assert.Equal("UserDirectory=CORP; UserId=direct", echo.GetProperty("headers").GetProperty("x-qlik-user").GetString());
    }

    [Fact]
    public async Task ClientCopiesOfQlikProxyHeaders_NeverReachTheEngine()
    {
        using var client = Portico.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/pinned/portico-demo/echo/injection");
        request.Headers.TryAddWithoutValidation("X-Qlik-ProxyId", "ProxyId=00000000-0000-0000-0000-000000000000; Prefix=admin");
        request.Headers.TryAddWithoutValidation("X-Qlik-Virtual-Proxy-Prefix", "admin");
        request.Headers.TryAddWithoutValidation("x_qlik_virtual_proxy_prefix", "admin");
        request.Headers.TryAddWithoutValidation("X-Qlik-Security", "SecureRequest=true; Context=ManagementAccess;");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var headers = echo.RootElement.GetProperty("headers");
        Assert.Equal($"ProxyId={ProxyIdentity.FromPublicHost("localhost"):D}; Prefix=pinned", headers.GetProperty("x-qlik-proxyid").GetString());
        Assert.Equal("pinned", headers.GetProperty("x-qlik-virtual-proxy-prefix").GetString());
        Assert.Equal("SecureRequest=true; Context=AppAccess;", headers.GetProperty("x-qlik-security").GetString());
        Assert.False(headers.TryGetProperty("x_qlik_virtual_proxy_prefix", out _));
    }

    [Fact]
    public async Task CoreEngine_EnigmaThroughPorticoWithBearerLogin_ReachesTheEngineWithPorticosToken()
    {
        var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{Portico.HttpsPort}/core/app/engineData",
            CaFile = Portico.CaPath,
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestTokens.Valid("alice", "CORP") },
            Steps = [EnigmaSteps.GetDocList, EnigmaSteps.GetAuthenticatedUser],
        });

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("UserDirectory=CORP; UserId=alice", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString());

        // The engine got Portico's token, not the client's: Portico's key, the user, the groups, a short life.
        var upgrade = fixture.CoreEngine.ObservedRequests.Last(r => r.IsWebSocket);
        var token = upgrade.Headers["authorization"]["Bearer ".Length..];
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(fixture.Certificates.SigningKey),
            ValidIssuer = EngineTrustFixture.Issuer,
            ValidateAudience = false,
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var jwt = (JsonWebToken)validated.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("CORP", jwt.GetPayloadValue<string>("userDirectory"));
        Assert.Equal(["Sales"], jwt.GetPayloadValue<List<string>>("groups"));
        Assert.Equal(TimeSpan.FromSeconds(120), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal("SecureRequest=true; Context=AppAccess; group=Sales;", upgrade.Headers["x-qlik-security"]);
    }

    [Fact]
    public async Task CoreEngine_DirectWithoutToken_Answers401()
    {
        using var client = new HttpClient();
        var response = await client.GetAsync(new Uri(fixture.CoreEngine.BaseAddress, "portico-demo/echo"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CoreEngine_DirectUpgradeWithoutToken_Answers401()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Qlik-User", "UserDirectory=CORP; UserId=admin");
        var url = new UriBuilder(fixture.CoreEngine.BaseAddress) { Scheme = "ws", Path = "/app/engineData" }.Uri;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task CoreEngine_DirectWithTokenOfAnotherKey_Answers401()
    {
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        var response = await DirectToCoreAsync(Token(new RsaSecurityKey(otherKey), TimeSpan.FromMinutes(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CoreEngine_DirectWithExpiredToken_Answers401()
    {
        var response = await DirectToCoreAsync(Token(new RsaSecurityKey(fixture.Certificates.SigningKey), TimeSpan.FromMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CoreEngine_DirectWithValidToken_TakesTheUserFromTheToken()
    {
        var response = await DirectToCoreAsync(Token(new RsaSecurityKey(fixture.Certificates.SigningKey), TimeSpan.FromMinutes(1)), spoofedUser: "UserDirectory=CORP; UserId=admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UserDirectory=CORP; UserId=bob", echo.RootElement.GetProperty("headers").GetProperty("x-qlik-user").GetString());
    }

    private async Task<JsonElement> DirectToSenseAsync(X509Certificate2? clientCertificate)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
                RemoteCertificateValidationCallback = TlsTrust.For(fixture.Certificates.RootPath),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.SenseEngine.BaseAddress, "portico-demo/echo/direct"));
        request.Headers.TryAddWithoutValidation("X-Qlik-User", "UserDirectory=CORP; UserId=direct");
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> DirectToCoreAsync(string token, string? spoofedUser = null)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.CoreEngine.BaseAddress, "portico-demo/echo/direct"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (spoofedUser is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Qlik-User", spoofedUser);
        }

        return await client.SendAsync(request);
    }

    private static string Token(SecurityKey key, TimeSpan expiresIn)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "bob", ["userDirectory"] = "CORP" },
            IssuedAt = now.AddMinutes(-10),
            Expires = now + expiresIn,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
