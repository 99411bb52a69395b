namespace Portico.Audit;

/// <summary>
/// One security decision. Holds no secret except <see cref="SessionId"/>, which is never written:
/// the writer replaces it with a keyed hash (<see cref="SessionIdHash"/>).
/// </summary>
internal sealed record AuditEvent
{
    private const int MaxOriginLength = 256;

    public required string Code { get; init; }

    public required AuditOutcome Outcome { get; init; }

    /// <summary>Set by <see cref="AuditLog"/> when the event is recorded, unless given.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The virtual proxy's prefix ("" for the default one).</summary>
    public string? VirtualProxy { get; init; }

    public string? UserDirectory { get; init; }

    public string? UserId { get; init; }

    /// <summary>How the user logged in: ticket, jwt, header, anonymous, session_api, cookie.</summary>
    public string? Method { get; init; }

    public string? SessionId { get; init; }

    public string? Client { get; init; }

    public string? Origin { get; init; }

    /// <summary>A stable, machine-readable reason code.</summary>
    public string? Reason { get; init; }

    /// <summary>The human-readable reason, as in the log line; never a credential.</summary>
    public string? Detail { get; init; }

    public IReadOnlyList<string>? Errors { get; init; }

    /// <summary>Config version, for config.applied.</summary>
    public long? Version { get; init; }

    /// <summary>Who made an admin change: the client certificate's subject, and the Qlik user it acted for.</summary>
    public string? Actor { get; init; }

    /// <summary>For admin changes: the entity before and after, secrets redacted (see Admin/AdminAuditEvents.cs).</summary>
    public System.Text.Json.Nodes.JsonNode? Before { get; init; }

    public System.Text.Json.Nodes.JsonNode? After { get; init; }

    /// <summary>How many refusals one aggregated event stands for; 1 for a single event.</summary>
    public long Count { get; init; } = 1;

    /// <summary>For aggregated refusals: the length of the window they were counted over.</summary>
    public int? WindowSeconds { get; init; }

    /// <summary>An event about a request: its client address and Origin are filled in.</summary>
    public static AuditEvent ForRequest(HttpContext context, string code, AuditOutcome outcome, string? virtualProxy) => new()
    {
        Code = code,
        Outcome = outcome,
        VirtualProxy = virtualProxy,
        Client = context.Connection.RemoteIpAddress?.ToString(),
        Origin = context.Request.Headers.Origin is { Count: > 0 } origin && origin[0] is { } value
            ? (value.Length > MaxOriginLength ? value[..MaxOriginLength] : value)
            : null,
    };
}
