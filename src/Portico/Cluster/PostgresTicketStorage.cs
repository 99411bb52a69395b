using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Portico.Tickets;

namespace Portico.Cluster;

/// <summary>
/// One-time tickets shared by the nodes of a cluster, keyed by the SHA-256 of their value. Taking a
/// ticket is one DELETE ... RETURNING: of any number of nodes redeeming the same value at once,
/// exactly one gets the row.
/// </summary>
internal sealed class PostgresTicketStorage(ClusterDatabase database, int capacity) : ISharedTicketStorage
{
    public async ValueTask<bool> TryAddAsync(Ticket ticket, CancellationToken cancellationToken) =>
        await database.RunAsync("store a ticket", async connection =>
        {
            // Bounded like the in-memory store: expired tickets do not count, and are purged on the way.
            await using var command = new NpgsqlCommand(
                """
                WITH purged AS (DELETE FROM portico_tickets WHERE expires_at <= now())
                INSERT INTO portico_tickets (value_hash, request, issued_at, expires_at)
                SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM portico_tickets WHERE expires_at > now()) < $5
                """, connection);
            command.Parameters.AddWithValue(SessionHashes.OfTicket(ticket.Value));
            command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(StoredRequest.From(ticket.Request)));
            command.Parameters.AddWithValue(ticket.IssuedAt.UtcDateTime);
            command.Parameters.AddWithValue(ticket.ExpiresAt.UtcDateTime);
            command.Parameters.AddWithValue((long)capacity);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public async ValueTask<Ticket?> TakeAsync(string ticketValue, CancellationToken cancellationToken) =>
        await database.RunAsync("redeem a ticket", async connection =>
        {
            await using var command = new NpgsqlCommand(
                "DELETE FROM portico_tickets WHERE value_hash = $1 RETURNING request, issued_at, expires_at", connection);
            command.Parameters.AddWithValue(SessionHashes.OfTicket(ticketValue));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var request = JsonSerializer.Deserialize<StoredRequest>(reader.GetString(0))!.ToRequest();
            return new Ticket(ticketValue, request, reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
        }, cancellationToken);

    private sealed record StoredRequest(string VirtualProxyPrefix, string UserDirectory, string UserId, string[][] Attributes, string? TargetId)
    {
        public static StoredRequest From(TicketRequest request) => new(
            request.VirtualProxyPrefix, request.UserDirectory, request.UserId, request.Attributes.Select(a => new[] { a.Key, a.Value }).ToArray(), request.TargetId);

        public TicketRequest ToRequest() => new()
        {
            VirtualProxyPrefix = VirtualProxyPrefix,
            UserDirectory = UserDirectory,
            UserId = UserId,
            Attributes = Attributes.Select(a => new KeyValuePair<string, string>(a[0], a[1])).ToList(),
            TargetId = TargetId,
        };
    }
}

/// <summary>Login targets shared by the nodes of a cluster, keyed by the SHA-256 of their id, bounded in count like the in-memory store.</summary>
internal sealed class PostgresTargetStorage(ClusterDatabase database, int capacity) : ISharedTargetStorage
{
    public async ValueTask<bool> TryAddAsync(string id, Uri target, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await database.RunAsync("store a login target", async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                WITH purged AS (DELETE FROM portico_targets WHERE expires_at <= now())
                INSERT INTO portico_targets (id_hash, target, expires_at)
                SELECT $1, $2, $3 WHERE (SELECT count(*) FROM portico_targets WHERE expires_at > now()) < $4
                """, connection);
            command.Parameters.AddWithValue(SessionHashes.OfTarget(id));
            command.Parameters.AddWithValue(target.OriginalString);
            command.Parameters.AddWithValue(expiresAt.UtcDateTime);
            command.Parameters.AddWithValue((long)capacity);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public async ValueTask<Uri?> FindAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.RunAsync("resolve a login target", async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT target FROM portico_targets WHERE id_hash = $1 AND expires_at > $2", connection);
            command.Parameters.AddWithValue(SessionHashes.OfTarget(id));
            command.Parameters.AddWithValue(now.UtcDateTime);
            return await command.ExecuteScalarAsync(cancellationToken) is string target ? new Uri(target) : null;
        }, cancellationToken);
}
