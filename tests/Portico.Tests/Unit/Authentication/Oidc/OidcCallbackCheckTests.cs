using Portico.Authentication.Oidc;

namespace Portico.Tests.Unit.Authentication.Oidc;

public sealed class OidcCallbackCheckTests
{
    private const string Issuer = "https://login.example.com";
    private const string Binding = "browser-binding-value";

    private static OidcPendingLogin Pending(string prefix = "sso") =>
        new(prefix, OidcCallbackCheck.Hash(Binding), "nonce", "verifier", "https://portico/sso/oidc/callback", null, DateTimeOffset.MaxValue);

    private static OidcRefusal? Judge(OidcCallback callback, OidcPendingLogin? pending, string? binding = Binding, string prefix = "sso") =>
        OidcCallbackCheck.Judge(callback, pending, binding, prefix, Issuer)?.Refusal;

    [Fact]
    public void Judge_GoodCallback_Accepted() =>
        Assert.Null(Judge(new("s", "code", null, Issuer), Pending()));

    [Fact]
    public void Judge_NoIssParameter_Accepted() =>
        Assert.Null(Judge(new("s", "code", null, null), Pending()));

    [Fact]
    public void Judge_UnknownState_StateUnknown() =>
        Assert.Equal(OidcRefusal.StateUnknown, Judge(new("s", "code", null, null), pending: null));

    [Fact]
    public void Judge_OtherVirtualProxy_RedirectMismatch() =>
        Assert.Equal(OidcRefusal.RedirectMismatch, Judge(new("s", "code", null, null), Pending("other")));

    [Theory]
    [InlineData(null)]
    [InlineData("another-browser")]
    [InlineData("")]
    public void Judge_BindingCookieMissingOrDifferent_StateBrowserMismatch(string? binding) =>
        Assert.Equal(OidcRefusal.StateBrowserMismatch, Judge(new("s", "code", null, null), Pending(), binding));

    [Fact]
    public void Judge_IssParameterOfAnotherProvider_WrongIssuer() =>
        Assert.Equal(OidcRefusal.WrongIssuer, Judge(new("s", "code", null, "https://evil.example.com"), Pending()));

    [Fact]
    public void Judge_ProviderError_ProviderErrorBeforeCodeCheck() =>
        Assert.Equal(OidcRefusal.ProviderError, Judge(new("s", null, "access_denied", null), Pending()));

    [Fact]
    public void Judge_NoCode_CodeMissing() =>
        Assert.Equal(OidcRefusal.CodeMissing, Judge(new("s", null, null, null), Pending()));

    [Theory]
    [InlineData("access_denied", "access_denied")]
    [InlineData("bad\"quote", "(unprintable)")]
    [InlineData("line\nbreak", "(unprintable)")]
    public void SafeErrorCode_RepeatsOnlyPrintableCodes(string error, string expected) =>
        Assert.Equal(expected, OidcCallbackCheck.SafeErrorCode(error));

    [Theory]
    [InlineData(null, "Basic")]
    [InlineData("client_secret_basic,client_secret_post", "Basic")]
    [InlineData("client_secret_post", "Post")]
    [InlineData("private_key_jwt", "Unsupported")]
    public void ClientAuthentication_FollowsDiscovery(string? supported, string expected) =>
        Assert.Equal(expected, OidcClientAuthenticationChoice.Choose(supported?.Split(',')).ToString());

    [Theory]
    [InlineData("https://login.example.com", "https://login.example.com/.well-known/openid-configuration", true)]
    [InlineData("https://login.example.com/", "https://login.example.com/.well-known/openid-configuration", true)]
    [InlineData("https://login.example.com/tenant", "https://login.example.com/tenant/.well-known/openid-configuration", true)]
    [InlineData("https://evil.example.com", "https://login.example.com/.well-known/openid-configuration", false)]
    public void IssuerMatchesEndpoint_DiscoveryRule(string issuer, string endpoint, bool expected) =>
        Assert.Equal(expected, OidcProviders.IssuerMatchesEndpoint(issuer, endpoint));
}
