using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Portico.Tests.Functional.Authentication.Oidc;

/// <summary>
/// A provider that answers the token endpoint with whatever id_token the test crafts: the
/// malicious tokens a certified provider will not produce (alg none, HS256 with the public key,
/// another audience or issuer, expired, someone else's nonce). HTTPS on 127.0.0.1, free port.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "portico-fake";

    private readonly WebApplication _app;

    private FakeOidcProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";

    public string DiscoveryUrl => Issuer + "/.well-known/openid-configuration";

    public RSA Key { get; } = RSA.Create(2048);

    public string KeyId { get; } = "fake-key-1";

    /// <summary>A key the provider publishes only once <see cref="PublishRotatedKey"/> is set (key rotation).</summary>
    public RSA RotatedKey { get; } = RSA.Create(2048);

    public bool PublishRotatedKey { get; set; }

    /// <summary>The id_token the next token request gets.</summary>
    public string? NextIdToken { get; set; }

    public int TokenRequests { get; private set; }

    public static async Task<FakeOidcProvider> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        var provider = new FakeOidcProvider(app);
        app.Run(provider.HandleAsync);
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
        provider.Issuer = $"https://localhost:{port}";
        return provider;
    }

    /// <summary>A well-formed id_token; <paramref name="change"/> edits its claims before signing.</summary>
    public string Token(string nonce, Action<Dictionary<string, object>>? change = null, bool rotated = false)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = "mallory",
            ["nonce"] = nonce,
            ["name"] = "Mallory",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        };
        change?.Invoke(claims);
        return Sign(claims, rotated ? new RsaSecurityKey(RotatedKey) { KeyId = "fake-key-2" } : new RsaSecurityKey(Key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
    }

    public static string Sign(Dictionary<string, object> claims, SecurityKey key, string algorithm) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key, algorithm));

    private async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/.well-known/openid-configuration":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = Issuer + "/authorize",
                    ["token_endpoint"] = Issuer + "/token",
                    ["jwks_uri"] = Issuer + "/jwks",
                    ["end_session_endpoint"] = Issuer + "/logout",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
                });
                return;
            case "/jwks":
                var keys = new List<object> { Jwk(Key, KeyId) };
                if (PublishRotatedKey)
                {
                    keys.Add(Jwk(RotatedKey, "fake-key-2"));
                }

                await context.Response.WriteAsJsonAsync(new { keys });
                return;
            case "/token" when HttpMethods.IsPost(context.Request.Method):
                TokenRequests++;
                var form = await context.Request.ReadFormAsync();
                if (form["client_id"] != ClientId || form["client_secret"] != "fake-secret" || string.IsNullOrEmpty(form["code_verifier"]))
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsJsonAsync(new { error = "invalid_client" });
                    return;
                }

                await context.Response.WriteAsJsonAsync(new { access_token = "at", token_type = "Bearer", id_token = NextIdToken });
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private static object Jwk(RSA key, string kid)
    {
        var p = key.ExportParameters(false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
        RotatedKey.Dispose();
    }

    /// <summary>The public key's SubjectPublicKeyInfo bytes: what an HS256 key-confusion attack uses as the HMAC key.</summary>
    public byte[] PublicKeyBytes => Encoding.ASCII.GetBytes(Key.ExportSubjectPublicKeyInfoPem());
}
