namespace Portico.Tickets;

/// <summary>
/// What a trusted caller (a login module) asks the QPS ticket API for: the user a ticket will log
/// in, on which virtual proxy, and optionally where the browser goes afterwards.
/// </summary>
internal sealed record TicketRequest
{
    /// <summary>The configured prefix of the virtual proxy the ticket is valid on; empty for the default one.</summary>
    public required string VirtualProxyPrefix { get; init; }

    public required string UserDirectory { get; init; }

    public required string UserId { get; init; }

    /// <summary>Qlik's ticket attributes (name/value pairs, names may repeat), passed on with the session.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>Qlik's targetId: a <see cref="TargetStore"/> id naming where the user was going.</summary>
    public string? TargetId { get; init; }
}
