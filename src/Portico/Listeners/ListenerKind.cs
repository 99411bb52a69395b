namespace Portico.Listeners;

internal enum ListenerKind
{
    Https,
    Http,
    QpsApi,
}
