using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portico.Configuration;

namespace Portico.Admin;

/// <summary>One configured virtual proxy as the admin API sees it: where it is in the file, as written, as read, and as a QRS entity.</summary>
internal sealed record VirtualProxyEntry(int Index, JsonObject Written, VirtualProxyConfig Config, QrsEntityMeta Meta, JsonObject Entity)
{
    /// <summary>A strong validator of the entity's whole content (RFC 9110 8.8.3).</summary>
    public string ETag { get; } = $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Entity.ToJsonString())), 0, 16)}\"";

    public bool MatchesIfMatch(string ifMatch) =>
        ifMatch.Trim() == "*" || ifMatch.Split(',', StringSplitOptions.TrimEntries).Any(tag => string.Equals(tag, ETag, StringComparison.Ordinal));
}

/// <summary>The stored configuration, read and validated, with its virtual proxies.</summary>
internal sealed record AdminView(ConfigDocument Document, JsonObject Root, string ArrayKey, IReadOnlyList<VirtualProxyEntry> Entries)
{
    public VirtualProxyEntry? Find(Guid id) => Entries.FirstOrDefault(e => e.Meta.Id == id);
}
