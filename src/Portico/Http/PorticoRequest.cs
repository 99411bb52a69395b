using Portico.Authentication;
using Portico.Cors;
using Portico.VirtualProxies;

namespace Portico.Http;

/// <summary>
/// What Portico's steps decided about one request, in one feature: set once when the virtual proxy
/// is selected (step 1), then filled in by the later steps. One object instead of one feature per
/// step, because every feature set on a Kestrel request costs an allocation and resets the cached
/// feature lookups of the HttpContext for the steps that follow.
/// </summary>
internal sealed class PorticoRequest(VirtualProxy virtualProxy)
{
    /// <summary>Step 1: the virtual proxy whose prefix the path matched.</summary>
    public VirtualProxy VirtualProxy { get; } = virtualProxy;

    /// <summary>Step 1: the qlik-csrf-token cut from the raw path (enigma.js's "&amp;qlik-csrf-token=" form); null when the path had none.</summary>
    public string? PathCsrfToken { get; init; }

    /// <summary>Step 3: how the Origin header relates to this virtual proxy.</summary>
    public OriginCheck OriginCheck { get; set; } = OriginCheck.Absent;

    /// <summary>Step 3: the Access-Control-Allow-Origin value to echo, when the origin may read the response.</summary>
    public string? AllowedOrigin { get; set; }

    /// <summary>Step 5: who the request acts for; null until authentication has run.</summary>
    public AuthenticationOutcome? Authentication { get; set; }

    /// <summary>
    /// Set by a page Portico serves itself with fixed security headers (the web console): applied
    /// last, over the virtual proxy's additionalResponseHeaders, and the answer gets no CORS headers.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? OwnPageHeaders { get; set; }

    /// <summary>Step 6: the request presented the qlik-csrf-token of its own session (the token itself is already removed from the request).</summary>
    public bool CsrfTokenMatched { get; set; }

    /// <summary>The state of a request that reached step 1; null before (or for requests it refused).</summary>
    public static PorticoRequest? Find(HttpContext context) => context.Features.Get<PorticoRequest>();

    /// <summary>The state of a request in a step that runs after step 1.</summary>
    public static PorticoRequest Of(HttpContext context) =>
        context.Features.Get<PorticoRequest>() ?? throw new InvalidOperationException("The request has no virtual proxy yet: this step runs after VirtualProxyMiddleware.");

    /// <summary>The authentication outcome, in a step that runs after step 5.</summary>
    public AuthenticationOutcome AuthenticationOutcome =>
        Authentication ?? throw new InvalidOperationException("The request is not authenticated yet: this step runs after AuthenticationMiddleware.");
}
