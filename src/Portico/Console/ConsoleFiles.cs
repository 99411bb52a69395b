using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace Portico.WebConsole;

/// <summary>One static file of the console, read once from the assembly.</summary>
internal sealed record ConsoleFile(byte[] Content, string ContentType);

/// <summary>
/// The console's static files, embedded in the assembly from Console/wwwroot (see Portico.csproj),
/// so a single binary serves them and nothing on disk can be swapped under it. Read once at start.
/// </summary>
internal sealed class ConsoleFiles
{
    public const string ResourcePrefix = "Portico/Console/wwwroot/";
    public const string IndexFile = "index.html";

    private readonly FrozenDictionary<string, ConsoleFile> _files;

    public ConsoleFiles()
        : this(typeof(ConsoleFiles).Assembly)
    {
    }

    internal ConsoleFiles(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = name[ResourcePrefix.Length..];
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            // Browsers run a module script only with a JavaScript type, and nosniff makes them hold to it.
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            files[path] = new ConsoleFile(copy.ToArray(), type);
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <param name="path">The path below /{prefix}/console/, "" for the index.</param>
    public ConsoleFile? Find(string path) =>
        _files.GetValueOrDefault(path.Length == 0 ? IndexFile : path);
}
