using System.Text.Json.Nodes;
using Portico.Cluster;
using Portico.Configuration;

namespace Portico.Admin;

/// <summary>
/// Cluster mode's configuration source: the virtual proxies are the cluster's, in PostgreSQL; the
/// rest of the document is this node's file. A write stores the virtual proxies only if the row is
/// still at the version read (<c>UPDATE … WHERE version = $expected</c>), so a change made meanwhile
/// on another node is never overwritten; every node then applies it from the change feed. While the
/// database cannot be reached, reads answer from what this node runs and writes get 503.
/// See docs/cluster.md, "Configuration".
/// </summary>
internal sealed class PostgresConfigSource(SharedConfiguration shared, ConfigSnapshotStore snapshots) : IConfigSource
{
    public const string UnavailableMessage =
        "The cluster database cannot be reached: virtual proxies cannot be changed until it returns. Reads answer from this node's running configuration; retry the change later.";

    public string Description => shared.Description;

    public async ValueTask<ConfigDocument> ReadAsync(CancellationToken cancellationToken)
    {
        SharedConfigVersion version;
        try
        {
            // A database known to be away is not waited for: reads answer at once from what this node runs.
            version = shared.DatabaseAvailable ? await shared.ReadAsync(cancellationToken) : Running();
        }
        catch (SharedStoreUnavailableException)
        {
            version = Running();
        }

        var (text, fileHash) = shared.ComposeText(version);
        return new ConfigDocument(text, SharedConfigDocument.ContentHash(fileHash, version.Version), version.ModifiedAt, shared.BaseDirectory);
    }

    private SharedConfigVersion Running() =>
        shared.Find(SharedConfigDocument.SharedVersionOf(snapshots.Current.ContentHash)) ?? shared.Latest;

    public async ValueTask<ConfigDocument?> WriteAsync(string text, string expectedVersion, CancellationToken cancellationToken)
    {
        // The document read joined this node's file to a cluster version; a change to either since is a conflict.
        if (SharedConfigDocument.FileHashOf(expectedVersion) is not { } fileHash || fileHash != shared.FileHash())
        {
            return null;
        }

        var root = JsonNode.Parse(text, documentOptions: ConfigJson.DocumentOptions)!.AsObject();
        var sharedJson = SharedConfigDocument.Serialize(SharedConfigDocument.Extract(root));
        SharedConfigVersion? written;
        try
        {
            written = await shared.WriteAsync(sharedJson, SharedConfigDocument.SharedVersionOf(expectedVersion), cancellationToken);
        }
        catch (SharedStoreUnavailableException ex)
        {
            throw new SharedStoreUnavailableException(ex.Message, ex) { ClientMessage = UnavailableMessage };
        }

        return written is null
            ? null
            : new ConfigDocument(text, SharedConfigDocument.ContentHash(fileHash, written.Version), written.ModifiedAt, shared.BaseDirectory);
    }
}
