namespace Portico.TestSupport;

/// <summary>One run of <c>tests/clients/enigma-session.mjs</c>: where to connect, how, and which steps to take.</summary>
public sealed record EnigmaRunRequest
{
    /// <summary>The engine WebSocket URL, e.g. <c>wss://127.0.0.1:1234/sales/app/engineData</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Steps from <see cref="EnigmaSteps"/>, run in order.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>The document for OpenDoc and the steps that need one; the script defaults to "Sales Demo.qvf".</summary>
    public string? AppId { get; init; }

    /// <summary>A PEM file the server certificate must chain to (TLS is verified against it, nothing else).</summary>
    public string? CaFile { get; init; }

    /// <summary>Extra headers on the upgrade request, e.g. a session cookie or, straight to an engine, X-Qlik-User.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The Origin header of the upgrade request.</summary>
    public string? Origin { get; init; }

    /// <summary>Keeps the session open this long after the steps, then proves it still works (<see cref="EnigmaSteps.AfterHold"/>).</summary>
    public int HoldOpenMs { get; init; }

    /// <summary>The script gives up, and reports so, after this long.</summary>
    public int TimeoutMs { get; init; } = 15_000;

    /// <summary>The hypercube for the <see cref="EnigmaSteps.HyperCube"/> step.</summary>
    public EnigmaHyperCubeRequest? HyperCube { get; init; }
}
