using Npgsql;
using Portico.Sessions;

namespace Portico.Cluster;

/// <summary>
/// Keeps this node in step with the others. One dedicated connection LISTENs on portico_changes;
/// writers NOTIFY without a payload in the transaction of their change, and a wake-up (or the slow
/// poll, or a reconnect) reads the change log from the last version seen. A session ended elsewhere
/// leaves this node's cache and its sockets here are closed with Qlik's notice, as for a local end.
/// A recreated database (new epoch) or a gap in the log makes the node check every session it holds.
/// It also writes the batched session activity and trims the change log, and has the cluster's
/// configuration applied here when its stored version moved (<see cref="SharedConfigFollower"/>). See docs/cluster.md.
/// </summary>
internal sealed partial class ChangeFeed(ClusterDatabase database, PostgresSessionStore sessions, SessionSockets sockets, SharedConfigFollower configuration, ILogger<ChangeFeed> logger) : BackgroundService
{
    // Polls, retries and batches run on the real clock: they pace work against the database, which a
    // node's session clock (moved by tests) has nothing to do with.
    private static readonly TimeProvider Clock = TimeProvider.System;

    public const string Channel = "portico_changes";

    /// <summary>Change rows older than this are deleted: a node away longer checks its whole cache instead.</summary>
    public static readonly TimeSpan ChangeRetention = TimeSpan.FromMinutes(10);

    private long _lastSeen = -1;
    private DateTimeOffset _lastCaughtUp = DateTimeOffset.MinValue;

    /// <summary>The last change version applied (tests wait on it).</summary>
    public long LastSeen => Interlocked.Read(ref _lastSeen);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        database.UseLogger(logger);
        Log.Started(logger, database.NodeName, database.RedactedConnectionString, ClusterSchema.LatestVersion, database.MigrationsApplied);
        // Changes from before this node started concern no session it holds.
        _lastSeen = await ReadMaxVersionAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), FlushAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await sessions.FlushActivityAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SharedStoreUnavailableException or OperationCanceledException)
        {
            // The last few seconds of activity are lost; sessions expire a little earlier at worst.
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                database.MarkContact();
                retry = TimeSpan.FromMilliseconds(250);
                var lastTrim = DateTimeOffset.MinValue;
                // Whatever happened while nobody listened is read now.
                await CatchUpAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var notified = await connection.WaitAsync(database.ChangePollInterval, stoppingToken);
                    if (!notified && Clock.GetUtcNow() - lastTrim > ChangeRetention / 10)
                    {
                        await TrimAsync(stoppingToken);
                        lastTrim = Clock.GetUtcNow();
                    }

                    await CatchUpAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ClusterDatabase.IsConnectionLoss(ex) || ex is SharedStoreUnavailableException)
            {
                if (ex is not SharedStoreUnavailableException)
                {
                    database.MarkLost("listen for changes", ex);
                }

                try
                {
                    await Task.Delay(retry, Clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>Applies every change after the last one seen; on a new epoch or a gap, checks the whole cache.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var (epoch, oldest, changes, configVersion) = await database.RunAsync("read the change log", async connection =>
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SELECT epoch FROM portico_epoch"),
                    new NpgsqlBatchCommand("SELECT coalesce(min(version), 0) FROM portico_changes"),
                    // Versions are taken when a row is written but seen when it commits, so a lower one can
                    // appear after a higher one: the last seconds are read again (applying an end twice is harmless).
                    new NpgsqlBatchCommand("SELECT version, kind, subject, reason, node FROM portico_changes WHERE version > $1 OR at > now() - interval '5 seconds' ORDER BY version LIMIT 5000")
                    {
                        Parameters = { new NpgsqlParameter { Value = LastSeen } },
                    },
                    // Read at every catch-up, not only on a 'config' row: a missed row cannot leave a node behind.
                    new NpgsqlBatchCommand("SELECT coalesce((SELECT version FROM portico_config), 0)"),
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var epoch = reader.GetGuid(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var oldest = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            var changes = new List<Change>();
            while (await reader.ReadAsync(cancellationToken))
            {
                changes.Add(new Change(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3), reader.GetString(4)));
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var configVersion = reader.GetInt64(0);
            return (epoch, oldest, changes, configVersion);
        }, cancellationToken);

        if (epoch != database.Epoch)
        {
            Log.EpochChanged(logger);
            database.Epoch = epoch;
            Interlocked.Exchange(ref _lastSeen, changes.Count > 0 ? changes[^1].Version : await ReadMaxVersionAsync(cancellationToken));
            await RecheckHeldSessionsAsync(cancellationToken);
            _lastCaughtUp = Clock.GetUtcNow();
            await configuration.ObserveAsync(configVersion, cancellationToken);
            return;
        }

        var now = Clock.GetUtcNow();
        if (now - _lastCaughtUp > ChangeRetention / 2 && _lastCaughtUp != DateTimeOffset.MinValue)
        {
            // Away long enough that the log may have been trimmed past what this node saw.
            Log.Gap(logger, LastSeen, oldest);
            await RecheckHeldSessionsAsync(cancellationToken);
        }

        _lastCaughtUp = now;

        foreach (var change in changes)
        {
            if (change.Kind == "end" && change.Node != database.NodeName && sessions.ForgetEnded(change.Subject) is { } id)
            {
                var reason = Enum.TryParse<SessionEndReason>(change.Reason, out var parsed) ? parsed : SessionEndReason.AdminDeleted;
                var closed = sockets.CloseAll(id, reason);
                Log.EndedElsewhere(logger, reason, change.Node, closed);
            }

            if (change.Version > LastSeen)
            {
                Interlocked.Exchange(ref _lastSeen, change.Version);
            }
        }

        await configuration.ObserveAsync(configVersion, cancellationToken);
    }

    /// <summary>Every session this node holds that the database no longer has is ended here (its sockets closed).</summary>
    private async Task RecheckHeldSessionsAsync(CancellationToken cancellationToken)
    {
        var held = sessions.HeldHashes();
        if (held.Count == 0)
        {
            return;
        }

        var present = await database.RunAsync("check the sessions this node holds", async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT id_hash FROM portico_sessions WHERE id_hash = ANY($1)", connection);
            command.Parameters.AddWithValue(held.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(0)));
            }

            return found;
        }, cancellationToken);

        foreach (var hash in held.Where(h => !present.Contains(Convert.ToHexStringLower(h))))
        {
            if (sessions.ForgetEnded(hash) is { } id)
            {
                var closed = sockets.CloseAll(id, SessionEndReason.AdminDeleted);
                Log.EndedElsewhere(logger, SessionEndReason.AdminDeleted, "(gone from the database)", closed);
            }
        }
    }

    private async Task FlushAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(database.ActivityFlushInterval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sessions.FlushActivityAsync(stoppingToken);
                }
                catch (SharedStoreUnavailableException)
                {
                    // Kept for the next tick; the loss is logged once by ClusterDatabase.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task<int> TrimAsync(CancellationToken cancellationToken) =>
        database.RunAsync("trim the change log", async connection =>
        {
            // The newest row always stays, so a restarted node still finds where the log stands.
            await using var command = new NpgsqlCommand(
                "DELETE FROM portico_changes WHERE at < now() - $1 AND version < (SELECT max(version) FROM portico_changes)", connection);
            command.Parameters.AddWithValue(ChangeRetention);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private Task<long> ReadMaxVersionAsync(CancellationToken cancellationToken) =>
        database.RunAsync("read the change log", async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM portico_changes", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    private sealed record Change(long Version, string Kind, byte[] Subject, string Reason, string Node);

    private static partial class Log
    {
        [LoggerMessage(12003, LogLevel.Information, "Cluster mode: node {Node}, database {ConnectionString}, schema version {Version} ({Applied} migration(s) applied by this node).")]
        public static partial void Started(ILogger logger, string node, string connectionString, int version, int applied);

        [LoggerMessage(12004, LogLevel.Information, "Session ended on node {Node} ({Reason}); {Sockets} open WebSocket(s) closed here.")]
        public static partial void EndedElsewhere(ILogger logger, SessionEndReason reason, string node, int sockets);

        [LoggerMessage(12005, LogLevel.Warning, "The cluster database was recreated (new epoch): every session this node holds is checked against it.")]
        public static partial void EpochChanged(ILogger logger);

        [LoggerMessage(12006, LogLevel.Warning, "The change log was trimmed past version {LastSeen} (oldest now {Oldest}): every session this node holds is checked against the database.")]
        public static partial void Gap(ILogger logger, long lastSeen, long oldest);
    }
}
