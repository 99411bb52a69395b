namespace Portico.Samples.Mashup;

/// <summary>What the mashup's back end needs to know about Portico and about itself.</summary>
public sealed record MashupOptions
{
    /// <summary>Portico as browsers reach it, e.g. <c>https://proxy.test:8443/</c>.</summary>
    public required Uri PorticoUrl { get; init; }

    /// <summary>The JWT virtual proxy the page uses unless its URL names another (<c>?prefix=</c>).</summary>
    public string JwtPrefix { get; init; } = "mashup";

    /// <summary>The Ticket virtual proxy of the cookie-less path (<c>?auth=ticket</c>).</summary>
    public string TicketPrefix { get; init; } = "mashup-ticket";

    /// <summary>The app whose data the page shows.</summary>
    public string AppId { get; init; } = "Sales Demo.qvf";

    /// <summary>PEM private key (RSA) the back end signs its users' JWTs with; Portico holds the public half.</summary>
    public required string JwtPrivateKeyPem { get; init; }

    /// <summary>The <c>aud</c> claim; the virtual proxy's <c>jwtAudience</c>.</summary>
    public string JwtAudience { get; init; } = "portico-mashup";

    /// <summary>The user the page acts for. A real back end takes it from its own login.</summary>
    public string UserDirectory { get; init; } = "MASHUP";

    /// <inheritdoc cref="UserDirectory"/>
    public string UserId { get; init; } = "alice";

    /// <summary>Portico's QPS API as the back end reaches it, e.g. <c>https://localhost:4243/</c>; null turns tickets off.</summary>
    public Uri? QpsApiUrl { get; init; }

    /// <summary>Client certificate (PEM) and key the QPS API trusts.</summary>
    public string? QpsClientCertificatePath { get; init; }

    /// <inheritdoc cref="QpsClientCertificatePath"/>
    public string? QpsClientKeyPath { get; init; }

    /// <summary>CA (PEM) the QPS API's server certificate chains to.</summary>
    public string? PorticoCaPath { get; init; }

    /// <summary>Folder holding index.html and mashup.js.</summary>
    public required string SiteDirectory { get; init; }

    /// <summary>enigma.js's browser build (<c>enigma.js/enigma.min.js</c>).</summary>
    public required string EnigmaScriptPath { get; init; }

    /// <summary>The QIX schema enigma.js needs (<c>enigma.js/schemas/12.2027.0.json</c>).</summary>
    public required string EnigmaSchemaPath { get; init; }
}
