namespace Portico.DemoEngine.Landing;

/// <summary>
/// What the landing page at <c>/</c> says about the proxy in front of the engine. The engine knows
/// nothing of the proxy's configuration, so the host that starts it supplies this.
/// </summary>
public sealed record LandingPageContent
{
    /// <summary>The proxy's public base URL, e.g. <c>https://localhost:8443</c>.</summary>
    public required string PublicBaseUrl { get; init; }

    /// <summary>The virtual proxies a visitor can try, in configuration order.</summary>
    public required IReadOnlyList<LandingVirtualProxy> VirtualProxies { get; init; }

    /// <summary>The CA file a client must trust, when the proxy generated its own; otherwise null.</summary>
    public string? CaPath { get; init; }
}

/// <summary>One virtual proxy as the landing page lists it.</summary>
/// <param name="Prefix">The path prefix; empty for the default virtual proxy.</param>
/// <param name="Description">The admin's description.</param>
/// <param name="Access">How users get in, e.g. <c>anonymous</c> or <c>Jwt</c>.</param>
public sealed record LandingVirtualProxy(string Prefix, string Description, string Access);
