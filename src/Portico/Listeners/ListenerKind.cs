namespace Portico.Listeners;

internal enum ListenerKind
{
    Https,
    Http,
    QpsApi,

    /// <summary>Health, readiness and metrics for the platform that runs Portico; no virtual proxy is served there.</summary>
    Ops,
}
