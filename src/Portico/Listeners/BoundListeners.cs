using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Portico.Listeners;

/// <summary>
/// The listeners Kestrel was given, by kind. Each connection is tagged with its listener's kind so
/// a request knows which listener it came in on; ports are read back after binding (port 0 in tests).
/// </summary>
internal sealed class BoundListeners
{
    private static readonly object KindKey = new();
    private readonly Dictionary<ListenerKind, List<ListenOptions>> _options = [];

    // Validation gives each listener a port of its own, so the local port names a request's listener,
    // more cheaply than the connection's tag does (the tag remains for connections on other ports).
    private FrozenDictionary<int, ListenerKind>? _kindByPort;

    public void Register(ListenerKind kind, ListenOptions options)
    {
        if (!_options.TryGetValue(kind, out var list))
        {
            _options[kind] = list = [];
        }

        list.Add(options);
        options.Use(next => connection =>
        {
            connection.Items[KindKey] = kind;
            return next(connection);
        });
    }

    public int HttpsPort => PortOf(ListenerKind.Https);

    public int? HttpPort => _options.ContainsKey(ListenerKind.Http) ? PortOf(ListenerKind.Http) : null;

    public int? QpsApiPort => _options.ContainsKey(ListenerKind.QpsApi) ? PortOf(ListenerKind.QpsApi) : null;

    public int? QrsApiPort => _options.ContainsKey(ListenerKind.QrsApi) ? PortOf(ListenerKind.QrsApi) : null;

    public int? OpsPort => _options.ContainsKey(ListenerKind.Ops) ? PortOf(ListenerKind.Ops) : null;

    public int PortOf(ListenerKind kind) =>
        _options.TryGetValue(kind, out var list) && list[0].EndPoint is IPEndPoint ip ? ip.Port : 0;

    /// <summary>The listener a request arrived on; requests not tagged (an in-memory test server) count as HTTPS.</summary>
    public ListenerKind KindOf(HttpContext context)
    {
        var byPort = _kindByPort ??= KindByPort();
        return byPort is not null && byPort.TryGetValue(context.Connection.LocalPort, out var kind) ? kind : TaggedKindOf(context);
    }

    private static ListenerKind TaggedKindOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(KindKey, out var kind) == true && kind is ListenerKind k
            ? k
            : ListenerKind.Https;

    /// <summary>Null until every listener is bound (a port 0 is chosen at binding), so it is built again on the next request.</summary>
    private FrozenDictionary<int, ListenerKind>? KindByPort()
    {
        var bound = _options
            .SelectMany(pair => pair.Value.Select(options => (Kind: pair.Key, Port: options.EndPoint is IPEndPoint ip ? ip.Port : 0)))
            .ToList();
        if (bound.Any(listener => listener.Port == 0))
        {
            return null;
        }

        // Ports are distinct after validation; DistinctBy only keeps a surprise from failing every request.
        return bound.DistinctBy(listener => listener.Port).ToFrozenDictionary(listener => listener.Port, listener => listener.Kind);
    }
}
