using Npgsql;

namespace Portico.Cluster;

/// <summary>
/// The cluster's tables, created and migrated by Portico at start. Every migration runs in one
/// transaction under an advisory lock: of nodes starting together one migrates, the others wait
/// for it and then find nothing left to do. Migrations are only ever appended.
/// </summary>
internal static class ClusterSchema
{
    /// <summary>Any constant shared by every node; it names the lock in pg_locks.</summary>
    private const long MigrationLockKey = 0x706f727469636f; // "portico"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE portico_epoch (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            epoch uuid NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO portico_epoch (epoch) VALUES (gen_random_uuid());

        CREATE TABLE portico_sessions (
            id_hash bytea PRIMARY KEY,
            virtual_proxy text NOT NULL,
            user_directory text NOT NULL,
            user_id text NOT NULL,
            user_key text NOT NULL,
            attributes jsonb NOT NULL,
            anonymous boolean NOT NULL,
            created_at timestamptz NOT NULL,
            last_activity_at timestamptz NOT NULL,
            used_again boolean NOT NULL DEFAULT false,
            engine_node text NULL,
            created_by text NOT NULL);
        CREATE INDEX portico_sessions_user ON portico_sessions (virtual_proxy, user_key);
        CREATE INDEX portico_sessions_activity ON portico_sessions (virtual_proxy, last_activity_at);
        CREATE INDEX portico_sessions_created ON portico_sessions (virtual_proxy, created_at);

        CREATE TABLE portico_changes (
            version bigserial PRIMARY KEY,
            kind text NOT NULL,
            subject bytea NOT NULL,
            reason text NOT NULL,
            node text NOT NULL,
            at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX portico_changes_at ON portico_changes (at);

        CREATE TABLE portico_tickets (
            value_hash bytea PRIMARY KEY,
            request jsonb NOT NULL,
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL);
        CREATE INDEX portico_tickets_expiry ON portico_tickets (expires_at);

        CREATE TABLE portico_targets (
            id_hash bytea PRIMARY KEY,
            target text NOT NULL,
            expires_at timestamptz NOT NULL);
        CREATE INDEX portico_targets_expiry ON portico_targets (expires_at);

        CREATE TABLE portico_keys (
            name text PRIMARY KEY,
            value bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        """,
        """
        CREATE TABLE portico_login_states (
            kind text NOT NULL,
            key_hash bytea NOT NULL,
            payload jsonb NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (kind, key_hash));
        CREATE INDEX portico_login_states_expiry ON portico_login_states (kind, expires_at);
        """,
        // 3: the cluster's part of the configuration (the virtual proxies), one row; json keeps the
        // text as written (key order, spelling), which jsonb would not.
        """
        CREATE TABLE portico_config (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            shared json NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            modified_at timestamptz NOT NULL DEFAULT now(),
            modified_by text NOT NULL);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <returns>How many migrations this call applied (0 when another node or an earlier start did).</returns>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string nodeName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(MigrationLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS portico_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL)",
            connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM portico_schema", connection, transaction))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Migrations.Length)
        {
            throw new InvalidOperationException($"the database has schema version {current}, newer than this Portico knows ({Migrations.Length}); upgrade this node");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await using var migrate = new NpgsqlCommand(Migrations[version - 1], connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO portico_schema (version, applied_by) VALUES ($1, $2)", connection, transaction);
            record.Parameters.AddWithValue(version);
            record.Parameters.AddWithValue(nodeName);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Migrations.Length - current;
    }
}
