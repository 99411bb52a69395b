namespace Portico.VirtualProxies;

/// <summary>The one normalized path of a request, or why there is none.</summary>
internal readonly record struct PathNormalization(string? Path, string? RejectionReason)
{
    public bool IsValid => Path is not null;

    public static PathNormalization Valid(string path) => new(path, null);

    public static PathNormalization Rejected(string reason) => new(null, reason);
}
