using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Portico.Authentication;
using Portico.Sessions;

namespace Portico.Cluster;

/// <summary>
/// Sessions shared by the nodes of a cluster, in PostgreSQL, with a node-local cache in front: a
/// session this node holds is served from memory (no database round trip per request or per
/// WebSocket frame), its activity is written back in batches (<see cref="FlushActivityAsync"/>),
/// logins and ends are written through. Rows are keyed by the SHA-256 of the session id, so the table
/// holds no cookie. Ends made by other nodes arrive through <see cref="ChangeFeed"/>. See docs/cluster.md.
/// </summary>
internal sealed class PostgresSessionStore(ClusterDatabase database, TimeProvider time) : ISessionStore, IDisposable
{
    /// <summary>At most this many cache misses query the database at once; more wait their turn.</summary>
    public const int MaxConcurrentLookups = 8;

    /// <summary>Unknown ids remembered, so a repeated forged id costs no query; the memory is cleared when full.</summary>
    public const int NegativeCacheCapacity = 10_000;

    public static readonly TimeSpan NegativeCacheLifetime = TimeSpan.FromSeconds(5);

    private const string Columns = "id_hash, virtual_proxy, user_directory, user_id, attributes, created_at, last_activity_at, used_again, engine_node";

    private readonly ConcurrentDictionary<string, Session> _cache = new(StringComparer.Ordinal);
    private int _count;
    private readonly ConcurrentDictionary<string, string> _idsByHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Prefix, string Key), string> _byCredential = new();
    private readonly ConcurrentDictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Session?>>> _lookups = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lookupSlots = new(MaxConcurrentLookups);
    private ConcurrentDictionary<string, Activity> _pendingActivity = new(StringComparer.Ordinal);
    private long _lookupQueries;
    private int _lookupsRunning;
    private int _maxLookupsRunning;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Database queries made for cache misses so far (tests: a flood of forged ids is bounded).</summary>
    public long LookupQueries => Interlocked.Read(ref _lookupQueries);

    /// <summary>The most cache-miss queries that ever ran at once.</summary>
    public int MaxLookupsRunning => Volatile.Read(ref _maxLookupsRunning);

    public async ValueTask<Session?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // A handle names a session only inside Portico: a client presenting one is never looked up.
        if (SessionHashes.IsHandle(id))
        {
            return null;
        }

        if (_cache.TryGetValue(id, out var cached))
        {
            // Past the grace without the database, nothing is served: another node may have ended it.
            return database.ServesCachedSessions ? cached : null;
        }

        if (_unknown.TryGetValue(id, out var until) && until > time.GetUtcNow().UtcTicks)
        {
            return null;
        }

        if (!database.IsAvailable && !database.ServesCachedSessions)
        {
            throw new SharedStoreUnavailableException();
        }

        // Concurrent misses for one id share one query.
        var lookup = _lookups.GetOrAdd(id, key => new Lazy<Task<Session?>>(() => LookupAsync(key)));
        try
        {
            return await lookup.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _lookups.TryRemove(new KeyValuePair<string, Lazy<Task<Session?>>>(id, lookup));
        }
    }

    private async Task<Session?> LookupAsync(string id)
    {
        await _lookupSlots.WaitAsync();
        var running = Interlocked.Increment(ref _lookupsRunning);
        try
        {
            UpdateMax(running);
            Interlocked.Increment(ref _lookupQueries);
            var row = await ReadRowAsync(SessionHashes.OfSession(id), "look up a session", CancellationToken.None);
            if (row is null)
            {
                RememberUnknown(id);
                return null;
            }

            var session = row.ToSession(id, credentialKey: null);
            return Cache(session);
        }
        finally
        {
            Interlocked.Decrement(ref _lookupsRunning);
            _lookupSlots.Release();
        }
    }

    /// <summary>
    /// Per-request credentials (a bearer token, a trusted header) are matched on this node only: the
    /// database keeps no credential. Another node makes its own session for the same credential.
    /// </summary>
    public ValueTask<Session?> FindByCredentialAsync(string virtualProxyPrefix, string credentialKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byCredential.TryGetValue((virtualProxyPrefix, credentialKey), out var id) && database.ServesCachedSessions ? _cache.GetValueOrDefault(id) : null);

    public async ValueTask<IReadOnlyList<Session>> FindByUserAsync(string virtualProxyPrefix, string userDirectory, string userId, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {Columns} FROM portico_sessions WHERE virtual_proxy = $1 AND user_key = $2",
            command =>
            {
                command.Parameters.AddWithValue(virtualProxyPrefix);
                command.Parameters.AddWithValue(UserKey(userDirectory, userId));
            },
            "find the sessions of a user",
            cancellationToken);

    public async ValueTask<bool> TryAddAsync(Session session, CancellationToken cancellationToken)
    {
        var hash = SessionHashes.OfSession(session.Id);
        var inserted = await database.RunAsync("store a new session", async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO portico_sessions (id_hash, virtual_proxy, user_directory, user_id, user_key, attributes, anonymous, created_at, last_activity_at, used_again, engine_node, created_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id_hash) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue(hash);
            command.Parameters.AddWithValue(session.VirtualProxyPrefix);
            command.Parameters.AddWithValue(session.User.UserDirectory);
            command.Parameters.AddWithValue(session.User.UserId);
            command.Parameters.AddWithValue(UserKey(session.User.UserDirectory, session.User.UserId));
            command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(session.User.Attributes.Select(a => new[] { a.Key, a.Value })));
            command.Parameters.AddWithValue(session.User.IsAnonymous);
            command.Parameters.AddWithValue(session.CreatedAt.ToUniversalTime());
            command.Parameters.AddWithValue(session.LastActivityAt.ToUniversalTime());
            command.Parameters.AddWithValue(session.UsedAgain);
            command.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)session.EngineNode ?? DBNull.Value);
            command.Parameters.AddWithValue(database.NodeName);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

        if (inserted)
        {
            _unknown.TryRemove(session.Id, out _);
            Cache(session);
        }

        return inserted;
    }

    public ValueTask TouchAsync(string id, DateTimeOffset at, bool usedAgain, CancellationToken cancellationToken)
    {
        while (_cache.TryGetValue(id, out var session) && (session.LastActivityAt < at || (usedAgain && !session.UsedAgain)))
        {
            var touched = session with { LastActivityAt = session.LastActivityAt < at ? at : session.LastActivityAt, UsedAgain = session.UsedAgain || usedAgain };
            if (_cache.TryUpdate(id, touched, session))
            {
                // Written with the next batch, not now.
                _pendingActivity.AddOrUpdate(id, static (_, a) => a, static (_, old, a) => old.Merge(a), new Activity(touched.LastActivityAt, touched.UsedAgain));
                break;
            }
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask SetEngineNodeAsync(string id, string engineNode, CancellationToken cancellationToken)
    {
        var cached = false;
        while (_cache.TryGetValue(id, out var session))
        {
            cached = true;
            if (session.EngineNode == engineNode)
            {
                // Another request of the session recorded it already.
                return;
            }

            if (_cache.TryUpdate(id, session with { EngineNode = engineNode }, session))
            {
                break;
            }
        }

        if ((!cached && !SessionHashes.IsHandle(id)) || SessionHashes.OfIdOrHandle(id) is not { } hash)
        {
            return;
        }

        try
        {
            // Written through, so a client that comes back through another node reaches the same engine.
            await database.RunAsync("store the engine node of a session", async connection =>
            {
                await using var command = new NpgsqlCommand("UPDATE portico_sessions SET engine_node = $2 WHERE id_hash = $1", connection);
                command.Parameters.AddWithValue(hash);
                command.Parameters.AddWithValue(engineNode);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (SharedStoreUnavailableException)
        {
            // Affinity is a preference: this node keeps it; another node picks an engine afresh.
        }
    }

    public async ValueTask<Session?> RemoveAsync(string id, SessionEndReason reason, CancellationToken cancellationToken)
    {
        if (SessionHashes.OfIdOrHandle(id) is not { } hash)
        {
            return null;
        }

        // This node stops serving it at once, whatever the database says.
        var cached = Forget(hash);
        if (cached is not null)
        {
            RememberUnknown(cached.Id);
        }

        var row = await database.RunAsync("end a session", async connection =>
        {
            // The end, its entry in the change log and the wake-up of every node commit together.
            await using var command = new NpgsqlCommand(
                $"""
                WITH gone AS (DELETE FROM portico_sessions WHERE id_hash = $1 RETURNING {Columns}),
                logged AS (INSERT INTO portico_changes (kind, subject, reason, node) SELECT 'end', id_hash, $2, $3 FROM gone)
                SELECT gone.*, pg_notify('portico_changes', '') FROM gone
                """, connection);
            command.Parameters.AddWithValue(hash);
            command.Parameters.AddWithValue(reason.ToString());
            command.Parameters.AddWithValue(database.NodeName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? SessionRow.Read(reader) : null;
        }, cancellationToken);

        return row is null ? null : cached ?? row.ToSession(SessionHashes.Handle(hash), credentialKey: null);
    }

    public async ValueTask<Session?> ReloadAsync(string id, CancellationToken cancellationToken)
    {
        if (SessionHashes.OfIdOrHandle(id) is not { } hash)
        {
            return null;
        }

        await FlushActivityAsync(cancellationToken);
        var row = await ReadRowAsync(hash, "reload a session", cancellationToken);
        if (row is null)
        {
            Forget(hash);
            return null;
        }

        return Merge(row);
    }

    public async ValueTask<IReadOnlyList<Session>> FindStaleAsync(StaleSessionQuery query, int max, CancellationToken cancellationToken)
    {
        // This node's recent activity counts before anything is judged idle.
        await FlushActivityAsync(cancellationToken);
        return await QueryAsync(
            $"""
            SELECT {Columns} FROM portico_sessions WHERE virtual_proxy = $1
            AND (last_activity_at <= $2 OR created_at <= $3 OR (anonymous AND NOT used_again AND created_at <= $4)) LIMIT $5
            """,
            command =>
            {
                command.Parameters.AddWithValue(query.VirtualProxyPrefix);
                command.Parameters.AddWithValue(Clamp(query.ActiveBefore));
                command.Parameters.AddWithValue(Clamp(query.CreatedBefore));
                command.Parameters.AddWithValue(Clamp(query.UnusedAnonymousCreatedBefore));
                command.Parameters.AddWithValue((long)max);
            },
            "find expired sessions",
            cancellationToken);
    }

    /// <summary>Writes the activity collected since the last call in one statement; kept for the next call when the database is away.</summary>
    public async Task FlushActivityAsync(CancellationToken cancellationToken)
    {
        if (_pendingActivity.IsEmpty)
        {
            return;
        }

        var batch = Interlocked.Exchange(ref _pendingActivity, new ConcurrentDictionary<string, Activity>(StringComparer.Ordinal));
        var hashes = new List<byte[]>(batch.Count);
        var times = new List<DateTime>(batch.Count);
        var used = new List<bool>(batch.Count);
        foreach (var (id, activity) in batch)
        {
            hashes.Add(SessionHashes.OfSession(id));
            times.Add(activity.At.UtcDateTime);
            used.Add(activity.UsedAgain);
        }

        try
        {
            await database.RunAsync("write session activity", async connection =>
            {
                await using var command = new NpgsqlCommand(
                    """
                    UPDATE portico_sessions s SET last_activity_at = GREATEST(s.last_activity_at, u.at), used_again = s.used_again OR u.used
                    FROM unnest($1::bytea[], $2::timestamptz[], $3::boolean[]) AS u(h, at, used) WHERE s.id_hash = u.h
                    """, connection);
                command.Parameters.AddWithValue(hashes.ToArray());
                command.Parameters.AddWithValue(times.ToArray());
                command.Parameters.AddWithValue(used.ToArray());
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is SharedStoreUnavailableException or OperationCanceledException)
        {
            // Kept (merged with what came meanwhile) for the next flush; bounded by the sessions this node holds.
            foreach (var (id, activity) in batch)
            {
                if (_cache.ContainsKey(id))
                {
                    _pendingActivity.AddOrUpdate(id, static (_, a) => a, static (_, old, a) => old.Merge(a), activity);
                }
            }

            throw;
        }
    }

    public void Dispose() => _lookupSlots.Dispose();

    /// <summary>A session ended elsewhere: dropped from this node's cache.</summary>
    /// <returns>Its id when this node held it (its sockets are closed by the caller), else null.</returns>
    public string? ForgetEnded(byte[] hash)
    {
        var session = Forget(hash);
        if (session is null)
        {
            return null;
        }

        RememberUnknown(session.Id);
        return session.Id;
    }

    /// <summary>The hashes of every session this node holds, to check against the database after a gap in the change log.</summary>
    public IReadOnlyList<byte[]> HeldHashes() => _idsByHash.Keys.Select(Convert.FromHexString).ToList();

    private Session Cache(Session session)
    {
        if (_cache.TryAdd(session.Id, session))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            session = _cache[session.Id];
        }

        _idsByHash[Convert.ToHexStringLower(SessionHashes.OfSession(session.Id))] = session.Id;
        if (session.CredentialKey is { } key)
        {
            _byCredential[(session.VirtualProxyPrefix, key)] = session.Id;
        }

        return session;
    }

    private Session? Forget(byte[] hash)
    {
        if (!_idsByHash.TryRemove(Convert.ToHexStringLower(hash), out var id) || !_cache.TryRemove(id, out var session))
        {
            return null;
        }

        Interlocked.Decrement(ref _count);
        _pendingActivity.TryRemove(id, out _);
        if (session.CredentialKey is { } key)
        {
            _byCredential.TryRemove(new KeyValuePair<(string, string), string>((session.VirtualProxyPrefix, key), id));
        }

        return session;
    }

    /// <summary>A row read from the database, with what this node knows better (its id, credential, newer activity).</summary>
    private Session Merge(SessionRow row)
    {
        var hex = Convert.ToHexStringLower(row.Hash);
        if (!_idsByHash.TryGetValue(hex, out var id) || !_cache.TryGetValue(id, out var cached))
        {
            return row.ToSession(SessionHashes.Handle(row.Hash), credentialKey: null);
        }

        var merged = row.ToSession(id, cached.CredentialKey) with
        {
            LastActivityAt = row.LastActivityAt > cached.LastActivityAt ? row.LastActivityAt : cached.LastActivityAt,
            UsedAgain = row.UsedAgain || cached.UsedAgain,
        };
        _cache.TryUpdate(id, merged, cached);
        return merged;
    }

    private void RememberUnknown(string id)
    {
        if (_unknown.Count >= NegativeCacheCapacity)
        {
            _unknown.Clear();
        }

        _unknown[id] = (time.GetUtcNow() + NegativeCacheLifetime).UtcTicks;
    }

    private void UpdateMax(int running)
    {
        var max = Volatile.Read(ref _maxLookupsRunning);
        while (running > max && Interlocked.CompareExchange(ref _maxLookupsRunning, running, max) != max)
        {
            max = Volatile.Read(ref _maxLookupsRunning);
        }
    }

    private Task<SessionRow?> ReadRowAsync(byte[] hash, string what, CancellationToken cancellationToken) =>
        database.RunAsync(what, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM portico_sessions WHERE id_hash = $1", connection);
            command.Parameters.AddWithValue(hash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? SessionRow.Read(reader) : null;
        }, cancellationToken);

    private async Task<IReadOnlyList<Session>> QueryAsync(string sql, Action<NpgsqlCommand> parameters, string what, CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(what, async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new List<SessionRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(SessionRow.Read(reader));
            }

            return found;
        }, cancellationToken);
        return rows.Select(Merge).ToList();
    }

    // Directories and user ids compare case-insensitively, as in Qlik (and as InMemorySessionStore does).
    private static string UserKey(string directory, string userId) => directory.ToUpperInvariant() + "\\" + userId.ToUpperInvariant();

    private static DateTime Clamp(DateTimeOffset at) => at.Year >= 9000 ? new DateTime(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc) : at.UtcDateTime;

    private readonly record struct Activity(DateTimeOffset At, bool UsedAgain)
    {
        public Activity Merge(Activity other) => new(At > other.At ? At : other.At, UsedAgain || other.UsedAgain);
    }

    private sealed record SessionRow(byte[] Hash, string VirtualProxy, string UserDirectory, string UserId, string Attributes, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, bool UsedAgain, string? EngineNode)
    {
        public static SessionRow Read(NpgsqlDataReader reader) => new(
            reader.GetFieldValue<byte[]>(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetBoolean(7),
            reader.IsDBNull(8) ? null : reader.GetString(8));

        public Session ToSession(string id, string? credentialKey) => new()
        {
            Id = id,
            VirtualProxyPrefix = VirtualProxy,
            User = new AuthenticatedUser(UserDirectory, UserId)
            {
                Attributes = (JsonSerializer.Deserialize<string[][]>(Attributes) ?? []).Select(a => new KeyValuePair<string, string>(a[0], a[1])).ToList(),
            },
            CreatedAt = CreatedAt,
            LastActivityAt = LastActivityAt,
            UsedAgain = UsedAgain,
            EngineNode = EngineNode,
            CredentialKey = credentialKey,
        };
    }
}
