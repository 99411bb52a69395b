using Portico.Authentication;
using Portico.Cors;

namespace Portico.Csrf;

/// <summary>
/// What the CSRF decision looks at; nothing here is a secret (the token is already compared). A struct: it is made for every request.
/// <see cref="XrfKeyPaired"/>: the request repeats one valid key in the <c>xrfkey</c> query parameter and the <c>X-Qlik-Xrfkey</c> header (Qlik's REST convention).
/// </summary>
internal readonly record struct CsrfRequest(
    bool IsWebSocket,
    string Method,
    CredentialKind Credential,
    bool TokenPresented,
    bool TokenMatches,
    OriginCheck Origin,
    string? SecFetchSite,
    bool XrfKeyPaired = false);

/// <param name="Code">For a refusal, the stable machine-readable code of <see cref="CsrfRefusalCode"/> sent in the answer's body.</param>
internal readonly record struct CsrfDecision(bool Allowed, string Reason, string? Code = null)
{
    public static CsrfDecision Allow(string reason) => new(true, reason);

    public static CsrfDecision Deny(string reason, string code) => new(false, reason, code);
}

/// <summary>
/// The codes a CSRF refusal carries, by what would fix it. Qlik's clients (@qlik/api, nebula.js)
/// read <see cref="SessionToken"/> as "not logged in": they log in again, fetch a new token and
/// retry once. See docs/security.md, "CSRF refusal codes".
/// </summary>
internal static class CsrfRefusalCode
{
    /// <summary>The session's qlik-csrf-token is missing or belongs to no live session of the request: a new login and token fix it.</summary>
    public const string SessionToken = "CSRF-TOKEN-2";

    /// <summary>The page's origin is not allowed: only the virtual proxy's allow list can change that.</summary>
    public const string Origin = "CSRF-ORIGIN";

    /// <summary>An unsafe request that shows neither the token, Qlik's xrfkey pair, nor where it came from.</summary>
    public const string Proof = "CSRF-PROOF";
}

/// <summary>
/// Cross-site request forgery and cross-site WebSocket hijacking (OWASP CSRF and WebSocket cheat
/// sheets). A request is forgeable when the browser attaches its credential by itself: the session
/// cookie, or a header a trusted front end adds. Bearer tokens and one-time tickets are explicit,
/// so they are not.
/// </summary>
internal static class CsrfPolicy
{
    public static CsrfDecision Evaluate(CsrfRequest request) =>
        request.IsWebSocket ? EvaluateWebSocket(request) : EvaluateHttp(request);

    public static bool IsAmbient(CredentialKind credential) => credential is CredentialKind.SessionCookie or CredentialKind.Header;

    private static CsrfDecision EvaluateWebSocket(CsrfRequest request)
    {
        // 1. A page from a site that is not allowed never gets a socket (see WebSocketOriginPolicy;
        //    step 3 refuses it before authentication already, this keeps the decision whole).
        if (!WebSocketOriginPolicy.Allows(request.Origin))
        {
            return CsrfDecision.Deny(WebSocketOriginPolicy.RefusalReason, CsrfRefusalCode.Origin);
        }

        // 2. A token that fits no live session of this request is refused whatever else it carries:
        //    it belongs to a session that ended (logout, expiry) or to another session.
        if (request.TokenPresented && !request.TokenMatches)
        {
            return CsrfDecision.Deny("qlik-csrf-token does not belong to a live session of this request", CsrfRefusalCode.SessionToken);
        }

        // 3. Explicit credentials, or none at all (a fresh anonymous session), have nothing to hijack.
        if (!IsAmbient(request.Credential))
        {
            return CsrfDecision.Allow("no ambient credential");
        }

        // 4. An ambient credential needs the session's token: only a page that could read it
        //    (same origin, or an allowed origin through CORS) can have it.
        return request.TokenPresented
            ? CsrfDecision.Allow("token matches the session")
            : CsrfDecision.Deny("WebSocket upgrade without the session's qlik-csrf-token", CsrfRefusalCode.SessionToken);
    }

    private static CsrfDecision EvaluateHttp(CsrfRequest request)
    {
        // 1. Safe methods change nothing (and must not), so they need no proof.
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return CsrfDecision.Allow("safe method");
        }

        // 2. Explicit credentials cannot be attached by another site.
        if (!IsAmbient(request.Credential))
        {
            return CsrfDecision.Allow("no ambient credential");
        }

        // 3. The session's token proves the page could read it.
        if (request.TokenMatches)
        {
            return CsrfDecision.Allow("token matches the session");
        }

        // 4. A foreign, "null" or malformed Origin is refused outright.
        if (request.Origin == OriginCheck.NotAllowed)
        {
            return CsrfDecision.Deny("unsafe request from an origin that is not allowed, without the session's token", CsrfRefusalCode.Origin);
        }

        // 5. Qlik's REST convention (what @qlik/api sends): the xrfkey pair. The header is custom, so
        //    another site's page can only send it after a CORS preflight, which Portico answers for
        //    allowed origins only; and a disallowed Origin was refused above.
        if (request.XrfKeyPaired)
        {
            return CsrfDecision.Allow("xrfkey query parameter and X-Qlik-Xrfkey header match");
        }

        // 6. Fetch metadata: same-origin and user-initiated requests pass; same-site and cross-site
        //    ones pass only from an origin the admin listed (sibling sites are not trusted by default).
        switch (request.SecFetchSite?.ToLowerInvariant())
        {
            case "same-origin" or "none":
                return CsrfDecision.Allow("Sec-Fetch-Site " + request.SecFetchSite);
            case "same-site" or "cross-site":
                return request.Origin == OriginCheck.Allowed
                    ? CsrfDecision.Allow("allowed origin")
                    : CsrfDecision.Deny($"unsafe {request.SecFetchSite} request without the session's token", CsrfRefusalCode.Origin);
        }

        // 7. Without fetch metadata, the Origin decides; with neither, nothing shows where it came
        //    from. A token that fits no live session says more: the page's session is gone.
        return request.Origin switch
        {
            OriginCheck.SameOrigin or OriginCheck.Allowed => CsrfDecision.Allow("allowed origin"),
            _ when request.TokenPresented => CsrfDecision.Deny("qlik-csrf-token does not belong to a live session of this request", CsrfRefusalCode.SessionToken),
            _ => CsrfDecision.Deny("unsafe request with neither Origin, Sec-Fetch-Site nor the session's token", CsrfRefusalCode.Proof),
        };
    }
}
