namespace Portico.Listeners;

internal enum ListenerKind
{
    Https,
    Http,
    QpsApi,

    /// <summary>The QRS-compatible admin API (docs/admin-api.md).</summary>
    QrsApi,

    /// <summary>Health, readiness and metrics for the platform that runs Portico; no virtual proxy is served there.</summary>
    Ops,
}
