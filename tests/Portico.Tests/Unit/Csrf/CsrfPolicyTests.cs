using Portico.Authentication;
using Portico.Cors;
using Portico.Csrf;

namespace Portico.Tests.Unit.Csrf;

/// <summary>
/// The CSRF decision, branch by branch (docs/security.md: WebSocket upgrade and CSRF on HTTP). Ambient
/// credentials (session cookie, trusted header) need proof; explicit ones (bearer, ticket, a fresh
/// anonymous login) do not; a WebSocket from an origin that is not allowed never passes.
/// </summary>
public sealed class CsrfPolicyTests
{
    private static CsrfDecision WebSocket(string credential = "SessionCookie", string origin = "Absent", bool presented = false, bool matches = false) =>
        CsrfPolicy.Evaluate(new CsrfRequest(
            IsWebSocket: true,
            Method: "GET",
            Credential: Enum.Parse<CredentialKind>(credential),
            TokenPresented: presented || matches,
            TokenMatches: matches,
            Origin: Enum.Parse<OriginCheck>(origin),
            SecFetchSite: null));

    private static CsrfDecision Http(string method, string credential = "SessionCookie", string origin = "Absent", string? secFetchSite = null, bool presented = false, bool matches = false, bool xrfKey = false) =>
        CsrfPolicy.Evaluate(new CsrfRequest(
            IsWebSocket: false,
            Method: method,
            Credential: Enum.Parse<CredentialKind>(credential),
            TokenPresented: presented || matches,
            TokenMatches: matches,
            Origin: Enum.Parse<OriginCheck>(origin),
            SecFetchSite: secFetchSite,
            XrfKeyPaired: xrfKey));

    private static void Denied(CsrfDecision decision, string reasonFragment)
    {
        Assert.False(decision.Allowed, "allowed: " + decision.Reason);
        Assert.Contains(reasonFragment, decision.Reason, StringComparison.Ordinal);
    }

    private static void Allowed(CsrfDecision decision) => Assert.True(decision.Allowed, "denied: " + decision.Reason);

    [Theory]
    [InlineData("SessionCookie", true)]
    [InlineData("Header", true)]
    [InlineData("Bearer", false)]
    [InlineData("Ticket", false)]
    [InlineData("Anonymous", false)]
    [InlineData("None", false)]
    public void IsAmbient_OnlyCredentialsTheBrowserAttachesByItself(string credential, bool expected)
    {
        Assert.Equal(expected, CsrfPolicy.IsAmbient(Enum.Parse<CredentialKind>(credential)));
    }

    // WebSocket: session cookie, no qlik-csrf-token.
    [Theory]
    [InlineData("SessionCookie", "Absent")]
    [InlineData("SessionCookie", "SameOrigin")]
    [InlineData("SessionCookie", "Allowed")]
    [InlineData("Header", "Absent")]
    [InlineData("Header", "Allowed")]
    public void WebSocket_AmbientCredentialWithoutToken_IsDenied(string credential, string origin)
    {
        Denied(WebSocket(credential, origin), "without the session's qlik-csrf-token");
    }

    // WebSocket: token of session A with the cookie of session B.
    [Theory]
    [InlineData("SessionCookie")]
    [InlineData("Header")]
    public void WebSocket_AmbientCredentialWithAnotherSessionsToken_IsDenied(string credential)
    {
        Denied(WebSocket(credential, "SameOrigin", presented: true, matches: false), "does not belong to");
    }

    // WebSocket: token after logout or idle expiry. The cookie no longer finds a session, so the
    // request arrives with no credential (or, on an anonymous proxy, as a fresh anonymous login);
    // the stale token must still be refused rather than ignored.
    [Theory]
    [InlineData("None", "Absent")]
    [InlineData("None", "Allowed")]
    [InlineData("Anonymous", "SameOrigin")]
    [InlineData("Bearer", "Absent")]
    [InlineData("Ticket", "Allowed")]
    public void WebSocket_TokenThatFitsNoLiveSessionOfTheRequest_IsDeniedWhateverTheCredential(string credential, string origin)
    {
        Denied(WebSocket(credential, origin, presented: true, matches: false), "does not belong to");
    }

    [Theory]
    [InlineData("SessionCookie", "Absent")]
    [InlineData("SessionCookie", "SameOrigin")]
    [InlineData("SessionCookie", "Allowed")]
    [InlineData("Header", "Allowed")]
    public void WebSocket_AmbientCredentialWithTheSessionsToken_IsAllowed(string credential, string origin)
    {
        Allowed(WebSocket(credential, origin, matches: true));
    }

    // WebSocket: valid token, Origin not allowed (null, lookalike, wrong scheme, unlisted port all classify as NotAllowed).
    [Theory]
    [InlineData("SessionCookie", true)]
    [InlineData("SessionCookie", false)]
    [InlineData("Header", true)]
    [InlineData("Bearer", false)]
    [InlineData("Ticket", false)]
    [InlineData("Anonymous", false)]
    [InlineData("None", false)]
    public void WebSocket_OriginNotAllowed_IsDeniedWhateverTheCredentialOrToken(string credential, bool matches)
    {
        Denied(WebSocket(credential, "NotAllowed", presented: true, matches: matches), "Origin is not the proxy's own and not in the host allow list");
    }

    [Theory]
    [InlineData("Bearer", "Absent")]
    [InlineData("Bearer", "Allowed")]
    [InlineData("Ticket", "SameOrigin")]
    [InlineData("Anonymous", "Absent")]
    [InlineData("Anonymous", "Allowed")]
    [InlineData("None", "Absent")]
    public void WebSocket_ExplicitCredentialOrNoneWithoutToken_IsAllowed(string credential, string origin)
    {
        Allowed(WebSocket(credential, origin));
    }

    // HTTP: GET/HEAD/OPTIONS cross-site are allowed.
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("get")]
    public void Http_SafeMethodCrossSiteFromAForeignOrigin_IsAllowed(string method)
    {
        var decision = Http(method, "SessionCookie", "NotAllowed", "cross-site");

        Allowed(decision);
        Assert.Equal("safe method", decision.Reason);
    }

    // HTTP: requests authenticated per request (bearer), or by a ticket or a fresh anonymous login, need no token.
    [Theory]
    [InlineData("POST", "Bearer")]
    [InlineData("DELETE", "Bearer")]
    [InlineData("POST", "Ticket")]
    [InlineData("PUT", "Anonymous")]
    [InlineData("PATCH", "None")]
    public void Http_UnsafeWithExplicitCredentialCrossSiteFromAForeignOrigin_IsAllowed(string method, string credential)
    {
        var decision = Http(method, credential, "NotAllowed", "cross-site");

        Allowed(decision);
        Assert.Equal("no ambient credential", decision.Reason);
    }

    // HTTP: cookie-authenticated unsafe methods cross-site or from a foreign Origin need the token.
    [Theory]
    [InlineData("POST", "NotAllowed", "cross-site")]
    [InlineData("PUT", "NotAllowed", null)]
    [InlineData("PATCH", "Absent", "cross-site")]
    [InlineData("DELETE", "NotAllowed", "same-origin")]
    [InlineData("POST", "NotAllowed", "same-site")]
    public void Http_UnsafeAmbientWithTheSessionsToken_IsAllowedFromAnywhere(string method, string origin, string? secFetchSite)
    {
        var decision = Http(method, "SessionCookie", origin, secFetchSite, matches: true);

        Allowed(decision);
        Assert.Equal("token matches the session", decision.Reason);
    }

    [Theory]
    [InlineData("POST", null)]
    [InlineData("PUT", "cross-site")]
    [InlineData("PATCH", "same-site")]
    [InlineData("DELETE", "same-origin")]
    [InlineData("POST", "none")]
    public void Http_UnsafeAmbientFromAForeignNullOrMalformedOrigin_IsDeniedWhateverSecFetchSiteSays(string method, string? secFetchSite)
    {
        Denied(Http(method, "SessionCookie", "NotAllowed", secFetchSite), "origin that is not allowed");
    }

    [Fact]
    public void Http_UnsafeAmbientWithAWrongToken_IsDeniedLikeNoToken()
    {
        Denied(Http("POST", "SessionCookie", "NotAllowed", "cross-site", presented: true, matches: false), "origin that is not allowed");
        Denied(Http("POST", "Header", "Absent", "cross-site", presented: true, matches: false), "cross-site request without the session's token");
    }

    [Theory]
    [InlineData("POST", "Absent")]
    [InlineData("DELETE", "Absent")]
    [InlineData("POST", "SameOrigin")]
    public void Http_UnsafeAmbientCrossSite_IsDenied(string method, string origin)
    {
        Denied(Http(method, "SessionCookie", origin, "cross-site"), "unsafe cross-site request without the session's token");
    }

    [Theory]
    [InlineData("POST", "Absent")]
    [InlineData("PUT", "SameOrigin")]
    public void Http_UnsafeAmbientSameSiteFromAnOriginNotListed_IsDenied(string method, string origin)
    {
        Denied(Http(method, "SessionCookie", origin, "same-site"), "unsafe same-site request without the session's token");
    }

    [Theory]
    [InlineData("same-site")]
    [InlineData("cross-site")]
    [InlineData("Cross-Site")]
    public void Http_UnsafeAmbientFromAnAllowListedOrigin_IsAllowed(string secFetchSite)
    {
        var decision = Http("POST", "SessionCookie", "Allowed", secFetchSite);

        Allowed(decision);
        Assert.Equal("allowed origin", decision.Reason);
    }

    [Theory]
    [InlineData("same-origin", "Absent")]
    [InlineData("same-origin", "SameOrigin")]
    [InlineData("Same-Origin", "Absent")]
    [InlineData("none", "Absent")]
    public void Http_UnsafeAmbientSameOriginOrUserInitiated_IsAllowed(string secFetchSite, string origin)
    {
        Allowed(Http("POST", "SessionCookie", origin, secFetchSite));
    }

    [Theory]
    [InlineData("SameOrigin")]
    [InlineData("Allowed")]
    public void Http_UnsafeAmbientWithoutSecFetchSite_OwnOrAllowedOriginDecides(string origin)
    {
        var decision = Http("DELETE", "SessionCookie", origin, secFetchSite: null);

        Allowed(decision);
        Assert.Equal("allowed origin", decision.Reason);
    }

    // HTTP: neither Origin nor Sec-Fetch-Site: nothing shows where the request came from.
    [Theory]
    [InlineData("POST", "SessionCookie", null)]
    [InlineData("PUT", "Header", null)]
    [InlineData("POST", "SessionCookie", "")]
    [InlineData("POST", "SessionCookie", "same-origin, cross-site")]
    [InlineData("POST", "SessionCookie", "bogus")]
    public void Http_UnsafeAmbientWithNeitherOriginNorUsableSecFetchSite_IsDenied(string method, string credential, string? secFetchSite)
    {
        Denied(Http(method, credential, "Absent", secFetchSite), "neither Origin, Sec-Fetch-Site nor the session's token");
    }

    [Theory]
    [InlineData("PROPFIND")]
    [InlineData("MKCOL")]
    [InlineData("post")]
    public void Http_OtherOrLowercaseUnsafeMethods_AreTreatedAsUnsafe(string method)
    {
        Denied(Http(method, "SessionCookie", "Absent", "cross-site"), "without the session's token");
    }

    // Qlik's REST convention (@qlik/api): a cookie-authenticated unsafe request with the xrfkey pair.
    [Theory]
    [InlineData("POST", "Absent", null)]
    [InlineData("PUT", "Absent", "cross-site")]
    [InlineData("DELETE", "Absent", "same-site")]
    [InlineData("PATCH", "Allowed", "cross-site")]
    [InlineData("POST", "SameOrigin", null)]
    public void Http_CookieWithTheXrfKeyPair_IsAllowed(string method, string origin, string? secFetchSite)
    {
        Allowed(Http(method, "SessionCookie", origin, secFetchSite, xrfKey: true));
    }

    [Fact]
    public void Http_XrfKeyPairFromADisallowedOrigin_IsStillDenied()
    {
        Denied(Http("POST", "SessionCookie", "NotAllowed", "cross-site", xrfKey: true), "origin that is not allowed");
    }

    [Fact]
    public void Http_WithoutTheXrfKeyPair_TheOtherRulesDecide()
    {
        Denied(Http("POST", "SessionCookie", "Absent", null, xrfKey: false), "neither Origin");
    }

    // Every refusal carries the code that says what would fix it; CSRF-TOKEN-2 is what Qlik's
    // clients read as "not logged in" (they log in again, fetch a new token and retry once).
    [Theory]
    [InlineData(true, "GET", "NotAllowed", null, true, false, "CSRF-ORIGIN")]
    [InlineData(true, "GET", "SameOrigin", null, true, false, "CSRF-TOKEN-2")]
    [InlineData(true, "GET", "Allowed", null, false, false, "CSRF-TOKEN-2")]
    [InlineData(false, "POST", "NotAllowed", "cross-site", false, false, "CSRF-ORIGIN")]
    [InlineData(false, "POST", "NotAllowed", "cross-site", true, false, "CSRF-ORIGIN")]
    [InlineData(false, "POST", "Absent", "cross-site", false, false, "CSRF-ORIGIN")]
    [InlineData(false, "POST", "Absent", "same-site", true, false, "CSRF-ORIGIN")]
    [InlineData(false, "POST", "Absent", null, true, false, "CSRF-TOKEN-2")]
    [InlineData(false, "POST", "Absent", null, false, false, "CSRF-PROOF")]
    public void Denied_CarriesTheCodeOfWhatWouldFixIt(bool webSocket, string method, string origin, string? secFetchSite, bool presented, bool matches, string code)
    {
        var decision = webSocket
            ? WebSocket("SessionCookie", origin, presented, matches)
            : Http(method, "SessionCookie", origin, secFetchSite, presented, matches);

        Assert.False(decision.Allowed);
        Assert.Equal(code, decision.Code);
    }

    [Fact]
    public void Allowed_CarriesNoCode()
    {
        Assert.Null(Http("POST", "SessionCookie", "Absent", null, xrfKey: true).Code);
        Assert.Null(WebSocket("SessionCookie", "Allowed", matches: true).Code);
    }
}
