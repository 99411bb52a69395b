using Npgsql;
using NpgsqlTypes;
using Portico.Authentication;

namespace Portico.Cluster;

/// <summary>
/// Logins in progress shared by the nodes of a cluster, keyed by the SHA-256 of kind and key (a
/// state, a request ID, a code or a session id never sits in the table). Taking is one
/// DELETE ... RETURNING, so an entry is used once whichever nodes it is presented to; adding counts
/// the kind's live entries in the same statement, so the bound holds for the whole cluster.
/// </summary>
internal sealed class PostgresLoginStateStorage(ClusterDatabase database) : ISharedLoginStateStorage
{
    public async ValueTask<bool> TryAddAsync(string kind, string key, string payload, DateTimeOffset expiresAt, int capacity, CancellationToken cancellationToken) =>
        await database.RunAsync("store a login in progress", async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                WITH purged AS (DELETE FROM portico_login_states WHERE kind = $1 AND expires_at <= now())
                INSERT INTO portico_login_states (kind, key_hash, payload, expires_at)
                SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM portico_login_states WHERE kind = $1 AND expires_at > now()) < $5
                ON CONFLICT (kind, key_hash) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue(kind);
            command.Parameters.AddWithValue(SessionHashes.OfLoginState(kind, key));
            command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, payload);
            command.Parameters.AddWithValue(expiresAt.UtcDateTime);
            command.Parameters.AddWithValue((long)capacity);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public async ValueTask<string?> TakeAsync(string kind, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.RunAsync("take a login in progress", async connection =>
        {
            await using var command = new NpgsqlCommand(
                "DELETE FROM portico_login_states WHERE kind = $1 AND key_hash = $2 RETURNING payload, expires_at", connection);
            command.Parameters.AddWithValue(kind);
            command.Parameters.AddWithValue(SessionHashes.OfLoginState(kind, key));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetFieldValue<DateTimeOffset>(1) > now ? reader.GetString(0) : null;
        }, cancellationToken);
}
