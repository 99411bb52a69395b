using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portico.Cluster;

/// <summary>
/// Which part of the configuration is the cluster's and which is the node's, as pure functions over
/// JSON. The cluster's part (the virtual proxies) is kept in the database; everything else (listeners,
/// certificate, data directory, the cluster section itself, logging, audit, sessions, …) stays in each
/// node's file. A node runs its file with the cluster's part put in place of the file's.
/// See docs/cluster.md, "Configuration".
/// </summary>
internal static class SharedConfigDocument
{
    /// <summary>The top-level sections the database holds; the admin API changes only these.</summary>
    public static readonly IReadOnlyList<string> Sections = ["virtualProxies"];

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // Read by people and by Portico, never by a browser: PEM keys keep their '+'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The cluster's sections of a whole configuration, as the database stores them (a section the file leaves out is an empty list).</summary>
    public static JsonObject Extract(JsonObject root)
    {
        var shared = new JsonObject();
        foreach (var section in Sections)
        {
            shared[section] = Find(root, section) is { } key ? root[key]?.DeepClone() : new JsonArray();
        }

        return shared;
    }

    /// <summary>The node's configuration with the cluster's sections in place of its own; the node's other sections are untouched.</summary>
    public static JsonObject Compose(JsonObject nodeRoot, JsonObject shared)
    {
        var composed = nodeRoot.DeepClone().AsObject();
        foreach (var section in Sections)
        {
            if (Find(shared, section) is not { } sharedKey)
            {
                continue;
            }

            // The file's spelling of the key is kept, so errors point at the same path as in the file.
            var key = Find(composed, section) ?? section;
            composed[key] = shared[sharedKey]?.DeepClone();
        }

        return composed;
    }

    /// <summary>
    /// True when the file has a cluster section written that differs from the cluster's: the file's is
    /// ignored, and the admin is told. A file that leaves the section out does not differ.
    /// </summary>
    public static bool FileDiffers(JsonObject nodeRoot, JsonObject shared) =>
        Sections.Any(section => Find(nodeRoot, section) is { } key
            && !JsonNode.DeepEquals(nodeRoot[key], Find(shared, section) is { } sharedKey ? shared[sharedKey] : null));

    public static string Serialize(JsonObject node) => node.ToJsonString(WriteOptions);

    /// <summary>The stored shared sections; null when the row holds anything but a JSON object (it can be edited by hand).</summary>
    public static JsonObject? ParseStored(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The content hash a configuration made of a node's file and the cluster's sections carries:
    /// the file's hash and the cluster version, so a change to either is a change, and the same
    /// pair is never applied twice.
    /// </summary>
    public static string ContentHash(string fileHash, long sharedVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileHash}:{sharedVersion}");

    /// <summary>The cluster version in a <see cref="ContentHash"/>; 0 for any other hash (or none).</summary>
    public static long SharedVersionOf(string? contentHash) =>
        contentHash is not null && contentHash.LastIndexOf(':') is var colon and > 0
            && long.TryParse(contentHash.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : 0;

    /// <summary>The file hash in a <see cref="ContentHash"/>; null for any other hash.</summary>
    public static string? FileHashOf(string? contentHash) =>
        contentHash is not null && SharedVersionOf(contentHash) > 0 ? contentHash[..contentHash.LastIndexOf(':')] : null;

    private static string? Find(JsonObject root, string section) =>
        root.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, section, StringComparison.OrdinalIgnoreCase));
}
