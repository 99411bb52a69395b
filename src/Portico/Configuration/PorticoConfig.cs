namespace Portico.Configuration;

/// <summary>
/// The whole configuration of one Portico node, as read from its JSON file. Immutable: a change
/// is a new instance that is validated as a whole and then swapped in.
/// </summary>
public sealed record PorticoConfig
{
    /// <summary>Host (and optional port) that redirects and absolute URLs are built from. Never taken from a request.</summary>
    public string PublicHost { get; init; } = "localhost";

    /// <summary>
    /// Qlik's proxy id, sent to engines as <c>X-Qlik-ProxyId</c> (a GUID). Null: derived from
    /// <see cref="PublicHost"/>, so every node behind one public name sends the same id.
    /// </summary>
    public string? ProxyId { get; init; }

    /// <summary>How engines are reached and told the user, unless a virtual proxy sets its own.</summary>
    public EngineConnectionConfig EngineConnection { get; init; } = new();

    public ListenersConfig Listeners { get; init; } = new();

    /// <summary>PEM certificate for the HTTPS listeners; without it a development certificate is generated into the data directory.</summary>
    public CertificateConfig? Certificate { get; init; }

    /// <summary>Where generated certificates and keys live; relative paths are resolved against the config file's folder.</summary>
    public string DataDirectory { get; init; } = "data";

    public HstsConfig Hsts { get; init; } = new();

    public ShutdownConfig Shutdown { get; init; } = new();

    public LoadBalancingConfig LoadBalancing { get; init; } = new();

    public DemoEngineConfig DemoEngine { get; init; } = new();

    public SessionsConfig Sessions { get; init; } = new();

    public ClientLimitsConfig ClientLimits { get; init; } = new();

    public QpsApiConfig QpsApi { get; init; } = new();

    public LoggingConfig Logging { get; init; } = new();
    public AuditConfig Audit { get; init; } = new();

    /// <summary>Cluster mode on PostgreSQL; null (the default) keeps every state in this process.</summary>
    public ClusterModeConfig? Cluster { get; init; }

    /// <summary>The web console for admins (docs/console.md); null, the default, serves none.</summary>
    public ConsoleConfig? Console { get; init; }

    public IReadOnlyList<VirtualProxyConfig> VirtualProxies { get; init; } = [];
}

public sealed record ListenersConfig
{
    public ListenerConfig Https { get; init; } = new() { Address = "localhost", Port = 8443 };

    /// <summary>Plain HTTP listener that only redirects to HTTPS; null turns it off.</summary>
    public ListenerConfig? Http { get; init; } = new() { Address = "localhost", Port = 8080 };

    /// <summary>The QPS REST API listener (Qlik uses 4243); null turns it off.</summary>
    public ListenerConfig? QpsApi { get; init; } = new() { Address = "localhost", Port = 4243 };

    /// <summary>
    /// The QRS-compatible admin API listener (Qlik uses 4242; see docs/admin-api.md), with the QPS
    /// API's client-certificate trust and xrfkey rule; null, the default, turns it off.
    /// </summary>
    public ListenerConfig? QrsApi { get; init; }

    /// <summary>
    /// Plain-HTTP operations listener (/healthz, /readyz, /metrics; see docs/operations.md); null,
    /// the default, turns it off. Bind it where only the platform reaches it, never publicly.
    /// </summary>
    public ListenerConfig? Ops { get; init; }
}

public sealed record ListenerConfig
{
    /// <summary>"localhost", "*" (all interfaces) or an IP address.</summary>
    public string Address { get; init; } = "localhost";

    /// <summary>0 picks a free port (used by tests).</summary>
    public int Port { get; init; }
}

public sealed record CertificateConfig
{
    public required string CertificatePath { get; init; }

    public required string KeyPath { get; init; }
}

/// <summary>RFC 6797 Strict-Transport-Security sent on every HTTPS response (never over HTTP).</summary>
public sealed record HstsConfig
{
    public bool Enabled { get; init; } = true;

    public int MaxAgeSeconds { get; init; } = 31_536_000;

    public bool IncludeSubDomains { get; init; }

    public bool Preload { get; init; }
}

public sealed record LoadBalancingConfig
{
    /// <summary>How often each engine's /healthcheck is probed.</summary>
    public int HealthCheckIntervalSeconds { get; init; } = 5;

    public int HealthCheckTimeoutSeconds { get; init; } = 2;

    /// <summary>How long a node that failed requests is left out before it is tried again.</summary>
    public int ReactivationPeriodSeconds { get; init; } = 10;
}

public sealed record DemoEngineConfig
{
    /// <summary>Starts the built-in demo engine in-process.</summary>
    public bool Enabled { get; init; }

    public string Url { get; init; } = "http://127.0.0.1:4747";

    /// <summary>
    /// The folder of an installed @qlik/api (relative to the configuration file) whose modules the demo
    /// engine serves as Qlik's browser runtime at /qlik-embed/main.js; unset, that path answers 404.
    /// </summary>
    public string? QlikApiPackage { get; init; }
}

/// <summary>How a node stops (SIGTERM, Ctrl+C): see docs/architecture.md, "Graceful drain".</summary>
public sealed record ShutdownConfig
{
    /// <summary>
    /// How long in-flight requests and tunnelled WebSockets get to finish once the node stops taking
    /// new ones; whatever is still open then is cut. Read at start.
    /// </summary>
    public int DrainSeconds { get; init; } = 15;
}

public sealed record SessionsConfig
{
    /// <summary>Qlik's limit of parallel sessions per user; the least recently active one ends when it is exceeded.</summary>
    public int MaxSessionsPerUser { get; init; } = 5;

    /// <summary>A session ends this long after login, however active it is.</summary>
    public int AbsoluteLifetimeMinutes { get; init; } = 720;

    /// <summary>
    /// Live sessions this node keeps at most. When it is reached, new anonymous visitors get 503 with
    /// Retry-After; logins with a credential are still admitted and never make room by ending anyone.
    /// </summary>
    public int MaxLiveSessions { get; init; } = 100_000;

    /// <summary>
    /// An anonymous session that no later request (and no WebSocket) uses within this many seconds
    /// ends: a client that never sends its cookie back leaves nothing behind for long.
    /// </summary>
    public int AnonymousFirstUseGraceSeconds { get; init; } = 60;

    /// <summary>WebSockets one session may hold open at once; more are refused with 429.</summary>
    public int MaxWebSocketsPerSession { get; init; } = 25;
}

/// <summary>
/// What one client address may make Portico store, per minute (token buckets; IPv6 addresses count
/// per /64, the block one subscriber usually has). 0 turns a limit off.
/// </summary>
public sealed record ClientLimitsConfig
{
    /// <summary>New anonymous sessions per client address and minute; beyond it, 429 with Retry-After.</summary>
    public int AnonymousSessionsPerMinute { get; init; } = 120;

    /// <summary>Login redirects that store a target address, per client address and minute; beyond it the redirect carries no target.</summary>
    public int LoginTargetsPerMinute { get; init; } = 60;
}

/// <summary>Who may call the QPS REST API (tickets, sessions, users) on its mutual-TLS listener.</summary>
public sealed record QpsApiConfig
{
    /// <summary>PEM files of CAs whose client certificates are trusted.</summary>
    public IReadOnlyList<string> TrustedClientCaPaths { get; init; } = [];

    /// <summary>SHA-256 or SHA-1 thumbprints (hex) of individually trusted client certificates.</summary>
    public IReadOnlyList<string> TrustedClientThumbprints { get; init; } = [];

    /// <summary>Trust client certificates signed by the generated development CA (the demo's client certificate).</summary>
    public bool TrustDevelopmentCa { get; init; }

    public int TicketLifetimeSeconds { get; init; } = 60;
}
