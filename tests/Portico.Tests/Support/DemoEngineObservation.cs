using Portico.DemoEngine;

namespace Portico.Tests.Support;

/// <summary>What a test asks the demo engine's request journal.</summary>
public static class DemoEngineObservation
{
    /// <summary>Whether any request or upgrade carrying <paramref name="marker"/> in its path or query reached the engine.</summary>
    public static bool Saw(this DemoEngineServer engine, string marker) =>
        engine.ObservedRequests.Any(r => r.Path.Contains(marker, StringComparison.Ordinal) || r.QueryString.Contains(marker, StringComparison.Ordinal));
}
