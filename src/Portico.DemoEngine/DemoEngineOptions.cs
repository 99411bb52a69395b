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
    /// The folder of an installed <c>@qlik/api</c> (e.g. <c>node_modules/@qlik/api</c>) whose modules
    /// the engine serves as Qlik's browser runtime at <c>/qlik-embed/main.js</c>; null leaves that
    /// path answering 404. Checked at start (see <see cref="QlikServer.QlikApiPackage.Load"/>).
    /// </summary>
    public string? QlikApiPackage { get; init; }
}
