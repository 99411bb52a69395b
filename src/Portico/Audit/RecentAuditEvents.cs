using System.Text.Json;

namespace Portico.Audit;

/// <summary>
/// The node's most recent audit events, in memory, for the admin API's <c>GET /qrs/portico/audit</c>
/// (docs/admin-api.md) and the console's audit page. A sink like the file: it keeps each line as
/// written (the same JSON, session ids already hashed), so what an admin reads here is what the
/// file says. Bounded by count and by bytes (an admin change carries two entities); the oldest go first.
/// </summary>
internal sealed class RecentAuditEvents(int capacity = RecentAuditEvents.DefaultCapacity, long maxBytes = RecentAuditEvents.DefaultMaxBytes) : IAuditSink
{
    public const int DefaultCapacity = 2_000;
    public const long DefaultMaxBytes = 8 * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly LinkedList<RecentAuditEvent> _events = new();
    private long _bytes;

    public int Capacity => capacity;

    public void Write(ReadOnlySpan<byte> line)
    {
        var json = line.TrimEnd("\n"u8).ToArray();
        var recent = RecentAuditEvent.Read(json);
        lock (_lock)
        {
            _events.AddLast(recent);
            _bytes += json.Length;
            while (_events.Count > capacity || (_bytes > maxBytes && _events.Count > 1))
            {
                _bytes -= _events.First!.Value.Json.Length;
                _events.RemoveFirst();
            }
        }
    }

    /// <summary>Newest first, the events <paramref name="query"/> matches, at most its limit.</summary>
    public IReadOnlyList<RecentAuditEvent> Find(AuditQuery query)
    {
        var found = new List<RecentAuditEvent>(Math.Min(query.Limit, 256));
        lock (_lock)
        {
            for (var node = _events.Last; node is not null && found.Count < query.Limit; node = node.Previous)
            {
                if (query.Matches(node.Value))
                {
                    found.Add(node.Value);
                }
            }
        }

        return found;
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>One audit line as written, with the fields the admin API filters on.</summary>
internal sealed record RecentAuditEvent(byte[] Json, string? Outcome, string? VirtualProxy, string? User, string? Actor)
{
    public static RecentAuditEvent Read(byte[] json)
    {
        string? outcome = null, virtualProxy = null, directory = null, userId = null, actor = null;
        var reader = new Utf8JsonReader(json);
        // The writer's lines are flat objects whose filter fields are top-level strings (AuditJson).
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case "outcome": outcome = reader.GetString(); break;
                case "virtualProxy": virtualProxy = reader.GetString(); break;
                case "userDirectory": directory = reader.GetString(); break;
                case "userId": userId = reader.GetString(); break;
                case "actor": actor = reader.GetString(); break;
            }
        }

        return new RecentAuditEvent(json, outcome, virtualProxy, directory is null || userId is null ? null : directory + "\\" + userId, actor);
    }
}

/// <summary>
/// Which recent events an admin asks for: <see cref="User"/> (DIRECTORY\user, the event's user or the
/// admin who acted), <see cref="VirtualProxy"/> (a prefix) and <see cref="Outcome"/>, each exact and
/// case-insensitive; null matches everything.
/// </summary>
internal sealed record AuditQuery(string? User, string? VirtualProxy, string? Outcome, int Limit)
{
    public const int DefaultLimit = 200;

    /// <summary>The console's words for the outcomes, and the audit log's own (AuditJson).</summary>
    private static readonly Dictionary<string, string> Outcomes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["success"] = "success",
        ["allowed"] = "success",
        ["failure"] = "failure",
        ["refused"] = "failure",
        ["info"] = "info",
    };

    /// <summary>Reads the query parameters; null with <paramref name="error"/> when one cannot be used.</summary>
    public static AuditQuery? Parse(string? user, string? virtualProxy, string? decision, string? limit, int capacity, out string? error)
    {
        error = null;
        string? outcome = null;
        if (!string.IsNullOrEmpty(decision) && !Outcomes.TryGetValue(decision, out outcome))
        {
            error = "decision must be one of allowed (or success), refused (or failure), info";
            return null;
        }

        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count < 1))
        {
            error = $"limit must be a whole number from 1 to {capacity}";
            return null;
        }

        return new AuditQuery(NullIfEmpty(user), NullIfEmpty(virtualProxy), outcome, Math.Min(count, capacity));
    }

    public bool Matches(RecentAuditEvent audited) =>
        (Outcome is null || string.Equals(audited.Outcome, Outcome, StringComparison.OrdinalIgnoreCase))
        && (VirtualProxy is null || string.Equals(audited.VirtualProxy, VirtualProxy, StringComparison.OrdinalIgnoreCase))
        && (User is null || IsUser(audited));

    private bool IsUser(RecentAuditEvent audited) =>
        string.Equals(audited.User, User, StringComparison.OrdinalIgnoreCase)
        || string.Equals(audited.Actor, User, StringComparison.OrdinalIgnoreCase)
        // An admin who acted through the console is recorded as "console DIRECTORY\user" (Admin/AdminCaller.cs).
        || string.Equals(audited.Actor, "console " + User, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
