using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Authentication.Oidc;

/// <summary>
/// id_tokens a certified provider never issues, served by a provider the test controls: each is
/// refused at the callback with its own audit reason, and no session is made.
/// </summary>
public sealed class OidcTokenAttackTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task IdToken_AlgNone_RefusedAlgRefused()
    {
        var response = await CallbackWithAsync(nonce =>
        {
            var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
            var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(Claims(nonce)));
            return header + "." + payload + ".";
        });

        await AssertRefusedAsync(response, "alg_refused");
    }

    [Fact]
    public async Task IdToken_Hs256SignedWithThePublicKey_RefusedAlgRefused()
    {
        var response = await CallbackWithAsync(nonce =>
            FakeOidcProvider.Sign(Claims(nonce), new SymmetricSecurityKey(fixture.Fake.PublicKeyBytes) { KeyId = fixture.Fake.KeyId }, SecurityAlgorithms.HmacSha256));

        await AssertRefusedAsync(response, "alg_refused");
    }

    [Fact]
    public async Task IdToken_ForAnotherClient_RefusedWrongAudience()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce, c => c["aud"] = "another-client"));

        await AssertRefusedAsync(response, "wrong_audience");
    }

    [Fact]
    public async Task IdToken_SeveralAudiencesWithoutAzp_RefusedWrongAudience()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce, c => c["aud"] = new[] { FakeOidcProvider.ClientId, "another-client" }));

        await AssertRefusedAsync(response, "wrong_audience");
    }

    [Fact]
    public async Task IdToken_FromAnotherIssuer_RefusedWrongIssuer()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce, c => c["iss"] = fixture.Provider.Issuer));

        await AssertRefusedAsync(response, "wrong_issuer");
    }

    [Fact]
    public async Task Callback_IssParameterOfAnotherProvider_RefusedWrongIssuer()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce), extraQuery: "&iss=" + Uri.EscapeDataString(fixture.Provider.Issuer));

        await AssertRefusedAsync(response, "wrong_issuer");
    }

    [Fact]
    public async Task IdToken_Expired_RefusedExpired()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce, c =>
        {
            c["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            c["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        }));

        await AssertRefusedAsync(response, "expired");
    }

    [Fact]
    public async Task IdToken_NonceOfAnEarlierLogin_RefusedNonceMismatch()
    {
        // The token of a login that already happened (its nonce is used up with its state),
        // replayed into a new login.
        string earlierNonce;
        using (var browser = fixture.Browser())
        {
            (_, earlierNonce) = await StartAsync(browser);
        }

        var response = await CallbackWithAsync(_ => fixture.Fake.Token(earlierNonce));

        await AssertRefusedAsync(response, "nonce_mismatch");
    }

    [Fact]
    public async Task IdToken_WithoutNonce_RefusedNonceMismatch()
    {
        var response = await CallbackWithAsync(nonce => fixture.Fake.Token(nonce, c => c.Remove("nonce")));

        await AssertRefusedAsync(response, "nonce_mismatch");
    }

    [Fact]
    public async Task IdToken_SignedByAnUnpublishedKey_RefusedSignatureInvalid()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var response = await CallbackWithAsync(nonce => FakeOidcProvider.Sign(Claims(nonce), new RsaSecurityKey(other) { KeyId = fixture.Fake.KeyId }, SecurityAlgorithms.RsaSha256));

        await AssertRefusedAsync(response, "signature_invalid");
    }

    [Fact]
    public async Task IdToken_Encrypted_RefusedUnread()
    {
        var response = await CallbackWithAsync(_ => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d");

        await AssertRefusedAsync(response, "id_token_invalid");
    }

    [Fact]
    public async Task IdToken_Valid_LogsInWithMappedClaims()
    {
        using var browser = fixture.Browser();
        var (state, nonce) = await StartAsync(browser);
        fixture.Fake.NextIdToken = fixture.Fake.Token(nonce);

        var response = await browser.GetAsync($"/fake/oidc/callback?code={Guid.NewGuid():n}&state={state}");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        using var user = JsonDocument.Parse(await browser.GetStringAsync("/fake/qps/user"));
        Assert.Equal("mallory", user.RootElement.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task IdToken_SignedByARotatedKey_KeysRefetchedOnceAndLoginSucceeds()
    {
        // A virtual proxy of its own, so its key cache was never refreshed by another test's unknown
        // kid within the refresh interval (which would rightly refuse this refresh).
        using var browser = fixture.Browser();
        var (state, nonce) = await StartAsync(browser, OidcFixture.RotatingPrefix);
        fixture.Fake.PublishRotatedKey = true;
        fixture.Fake.NextIdToken = fixture.Fake.Token(nonce, rotated: true);

        var response = await browser.GetAsync($"/{OidcFixture.RotatingPrefix}/oidc/callback?code={Guid.NewGuid():n}&state={state}");

        Assert.True(response.StatusCode == HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
    }

    private Dictionary<string, object> Claims(string nonce) => new()
    {
        ["iss"] = fixture.Fake.Issuer,
        ["aud"] = FakeOidcProvider.ClientId,
        ["sub"] = "mallory",
        ["nonce"] = nonce,
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
    };

    /// <summary>A login at the fake provider whose token endpoint answers with <paramref name="idToken"/>(this login's nonce).</summary>
    private async Task<HttpResponseMessage> CallbackWithAsync(Func<string, string> idToken, string extraQuery = "")
    {
        using var browser = fixture.Browser();
        var (state, nonce) = await StartAsync(browser);
        // The fake serves one token at a time; xunit runs the tests of a class one after another.
        fixture.Fake.NextIdToken = idToken(nonce);
        return await browser.GetAsync($"/fake/oidc/callback?code={Guid.NewGuid():n}&state={state}{extraQuery}");
    }

    private static async Task<(string State, string Nonce)> StartAsync(HttpClient browser, string prefix = "fake")
    {
        var response = await browser.GetAsync($"/{prefix}/oidc/login");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        return (query["state"].ToString(), query["nonce"].ToString());
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(reason, json.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie");
        var audited = await fixture.RefusalAsync(reason);
        Assert.DoesNotContain("eyJ", audited.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", fixture.Portico.Logs.AllText, StringComparison.Ordinal);
    }
}
