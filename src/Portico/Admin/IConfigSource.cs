namespace Portico.Admin;

/// <summary>
/// Where the configuration that the admin API changes is kept: the configuration file on a single
/// node, memory for the built-in demo, a database for a cluster. Every write names the version it
/// was based on, so a change made meanwhile by anyone else (a hand edit, another node) is never
/// overwritten.
/// </summary>
internal interface IConfigSource
{
    /// <summary>Shown in errors and in docs/admin-api.md's terms: "file /etc/portico/portico.json", "memory".</summary>
    string Description { get; }

    ValueTask<ConfigDocument> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the configuration with <paramref name="text"/> as one atomic step, if the stored
    /// version is still <paramref name="expectedVersion"/>.
    /// </summary>
    /// <returns>The document as written; null when the stored version had changed (nothing was written).</returns>
    ValueTask<ConfigDocument?> WriteAsync(string text, string expectedVersion, CancellationToken cancellationToken);
}

/// <summary>The configuration text as stored, with the version a write must name.</summary>
/// <param name="Version">
/// Opaque. For a file, the SHA-256 of its bytes, the same hash the file watcher compares, so a file
/// written by the API is not applied a second time when the watcher sees it.
/// </param>
/// <param name="LastModified">When the text was last written; stands in for dates a hand-written virtual proxy lacks.</param>
/// <param name="BaseDirectory">Folder that relative paths in the configuration are resolved against.</param>
internal sealed record ConfigDocument(string Text, string Version, DateTimeOffset LastModified, string BaseDirectory);
