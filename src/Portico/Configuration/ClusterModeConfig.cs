namespace Portico.Configuration;

/// <summary>
/// Cluster mode: several Portico nodes share sessions, tickets, login targets and keys through one
/// PostgreSQL database (see docs/cluster.md). Left out, Portico is a single node with in-memory state.
/// Read at start: a reload does not switch a running node in or out of cluster mode.
/// </summary>
public sealed record ClusterModeConfig
{
    /// <summary>This node's name, unique in the cluster: written with every change it makes, and in its logs.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>
    /// An Npgsql connection string (Host, Port, Database, Username). The password may stay out of it:
    /// Npgsql reads PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass).
    /// </summary>
    public string Postgres { get; init; } = "";

    /// <summary>How long sessions cached on a node keep being served while the database cannot be reached.</summary>
    public int DatabaseGraceSeconds { get; init; } = 300;

    /// <summary>How often a node writes the activity of its sessions to the database, in one statement.</summary>
    public int ActivityFlushSeconds { get; init; } = 2;

    /// <summary>How often a node reads the change log even when no notification woke it (a fallback).</summary>
    public int ChangePollSeconds { get; init; } = 5;
}
