namespace Portico.DemoEngine;

/// <summary>How to start a <see cref="DemoEngineServer"/>.</summary>
public sealed record DemoEngineOptions
{
    /// <summary>
    /// The plain-HTTP address to listen on; port 0 picks a free port (see <see cref="DemoEngineServer.BaseAddress"/>).
    /// Use an IP literal: Kestrel cannot bind a dynamic port on "localhost".
    /// </summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>The name the engine reports in its health check and echo responses, so tests can tell nodes apart.</summary>
    public string NodeName { get; init; } = "engine-1";

    /// <summary>
    /// Describes the proxy in front of the engine, read per request; when set, a browser opening
    /// <c>/</c> gets a landing page (see <see cref="Landing.LandingPageEndpoint"/>). Null: <c>/</c> stays a 404.
    /// </summary>
    public Func<Landing.LandingPageContent>? LandingPage { get; init; }
}
