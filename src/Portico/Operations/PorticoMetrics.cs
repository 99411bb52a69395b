using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Operations;

/// <summary>How a login ended: a session was made, the credential was invalid, or no session could be made for a valid one.</summary>
internal enum LoginOutcome
{
    Succeeded,

    /// <summary>The credential was refused (bad signature, spent ticket, untrusted header…).</summary>
    Rejected,

    /// <summary>The credential was good but no session could be made (the session cap, the client's rate limit).</summary>
    Refused,
}

/// <summary>Why Portico refused a request before it reached an engine.</summary>
internal enum RefusalReason
{
    /// <summary>The CSRF check (missing or wrong token, disallowed Origin on an unsafe request).</summary>
    Csrf,

    /// <summary>A WebSocket or CORS preflight from an origin outside the allow list.</summary>
    Origin,

    /// <summary>No valid credential: a 401, a login redirect, or a socket told to authenticate.</summary>
    Authentication,
}

/// <summary>
/// Portico's instruments on its meter (the one <see cref="SessionMetrics"/> also uses), exported on
/// the ops listener (docs/operations.md lists each one). Tags are bounded by the configuration: a
/// virtual proxy's prefix, an engine node's id and address, and fixed words; never a user, a path
/// or a client address. The per-request calls allocate nothing: tag values are strings that
/// already exist, and an instrument nobody listens to returns at once.
/// </summary>
internal sealed class PorticoMetrics
{
    public const string VirtualProxyTag = "virtual_proxy";

    // Seconds; from a page asset served by the engine's cache to a slow reload answer.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _logins;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _requestDuration;

    public PorticoMetrics(IMeterFactory meters, EngineNodes engines, SessionSockets sockets)
    {
        var meter = meters.Create(SessionMetrics.MeterName);
        _logins = meter.CreateCounter<long>("portico.logins", unit: "{login}",
            description: "Logins (sessions made from a credential), by virtual proxy, credential method and outcome.");
        _refusals = meter.CreateCounter<long>("portico.refusals", unit: "{request}",
            description: "Requests Portico refused before they reached an engine, by virtual proxy and reason.");
        _requestDuration = meter.CreateHistogram("portico.request.duration", unit: "s",
            description: "Time from Portico receiving an HTTP request to its answer being complete, by virtual proxy (WebSockets are not included).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableUpDownCounter("portico.websockets.open", () => sockets.OpenTotal, unit: "{websocket}",
            description: "WebSockets open (or opening) through this node.");
        meter.CreateObservableGauge("portico.engine.node.healthy", () => EngineHealth(engines),
            description: "1 when the engine node is healthy (its last probe succeeded and failed requests have not left it out), else 0 (down, or not probed yet).");
    }

    /// <summary>True when something listens for request durations; without a listener the request path does not even read the clock.</summary>
    public bool MeasuresRequests => _requestDuration.Enabled;

    public void Login(string virtualProxy, CredentialKind method, LoginOutcome outcome) =>
        _logins.Add(1,
            new KeyValuePair<string, object?>(VirtualProxyTag, virtualProxy),
            new KeyValuePair<string, object?>("method", MethodName(method)),
            new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));

    public void Refused(string virtualProxy, RefusalReason reason) =>
        _refusals.Add(1,
            new KeyValuePair<string, object?>(VirtualProxyTag, virtualProxy),
            new KeyValuePair<string, object?>("reason", ReasonName(reason)));

    /// <param name="startTimestamp">The request's start, from <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void RequestCompleted(string virtualProxy, long startTimestamp) =>
        _requestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>(VirtualProxyTag, virtualProxy));

    internal static string MethodName(CredentialKind method) => method switch
    {
        CredentialKind.SessionCookie => "cookie",
        CredentialKind.Bearer => "jwt",
        CredentialKind.Ticket => "ticket",
        CredentialKind.Header => "header",
        CredentialKind.Anonymous => "anonymous",
        CredentialKind.Saml => "saml",
        CredentialKind.Oidc => "oidc",
        _ => "none",
    };

    internal static string OutcomeName(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.Succeeded => "succeeded",
        LoginOutcome.Rejected => "rejected",
        _ => "refused",
    };

    internal static string ReasonName(RefusalReason reason) => reason switch
    {
        RefusalReason.Csrf => "csrf",
        RefusalReason.Origin => "origin",
        _ => "authentication",
    };

    private static IEnumerable<Measurement<int>> EngineHealth(EngineNodes engines)
    {
        foreach (var virtualProxy in engines.Read())
        {
            foreach (var node in virtualProxy.Nodes)
            {
                yield return new Measurement<int>(node.Health == EngineNodeHealth.Healthy ? 1 : 0,
                    new KeyValuePair<string, object?>(VirtualProxyTag, virtualProxy.VirtualProxy),
                    new KeyValuePair<string, object?>("node", node.Node),
                    new KeyValuePair<string, object?>("address", node.Address));
            }
        }
    }
}
