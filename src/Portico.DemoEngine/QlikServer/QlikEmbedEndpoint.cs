using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// <c>/qlik-embed/…</c>: the browser runtime @qlik/api loads from a Qlik Sense server.
/// <list type="bullet">
/// <item><c>main.js</c>: the demo's QlikMain (<see cref="QlikMainScript"/>);</item>
/// <item><c>modules/@qlik/api/…</c> and <c>modules/{package}/…</c>: .js files of the installed
/// @qlik/api and of its ES-module dependencies, unchanged;</item>
/// <item><c>commonjs/{package}</c>: a CommonJS dependency's entry as an ES module (<see cref="CommonJsWrapper"/>).</item>
/// </list>
/// Without a package every path answers 404 with how to enable it. Node clients also fetch
/// main.js, only for the session cookie the proxy sets on the way back, so they work either way.
/// </summary>
internal sealed class QlikEmbedEndpoint
{
    public const string PathPrefix = "/qlik-embed";
    public const string PackageFolder = "@qlik/api";

    private const string JavaScript = "text/javascript; charset=utf-8";
    private const string ModulesPrefix = "/modules/";
    private const string CommonJsPrefix = "/commonjs/";

    private const string NotEnabled =
        "The Portico demo engine serves Qlik's browser runtime (/qlik-embed/main.js, which @qlik/api loads in browsers) " +
        "only from an installed @qlik/api package. Enable it with --qlik-api-package <folder> when starting the engine, " +
        "or \"demoEngine\": { \"qlikApiPackage\": \"<folder>\" } in Portico's configuration, where <folder> is " +
        "node_modules/@qlik/api after `npm install @qlik/api@" + QlikApiPackage.KnownVersion + "`.\n";

    private readonly string? _mainScript;
    private readonly Dictionary<string, PhysicalFileProvider> _moduleFolders;
    private readonly Dictionary<string, ModuleDependency> _commonJs;

    public QlikEmbedEndpoint(QlikApiPackage? package)
    {
        if (package is null)
        {
            _moduleFolders = new Dictionary<string, PhysicalFileProvider>();
            _commonJs = new Dictionary<string, ModuleDependency>();
            return;
        }

        _mainScript = QlikMainScript.Build(package);
        var folders = new Dictionary<string, PhysicalFileProvider>(StringComparer.Ordinal)
        {
            [PackageFolder] = new PhysicalFileProvider(package.Directory),
        };
        foreach (var dependency in package.Dependencies.Where(d => d.IsEsModule))
        {
            folders[dependency.Name] = new PhysicalFileProvider(dependency.Directory);
        }

        _moduleFolders = folders;
        _commonJs = package.Dependencies.Where(d => !d.IsEsModule).ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Http.ReadOnlyMethods.Refused(context))
        {
            return;
        }

        if (_mainScript is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(NotEnabled, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var body = path switch
        {
            "/main.js" => _mainScript,
            _ when path.StartsWith(CommonJsPrefix, StringComparison.Ordinal) => await CommonJsAsync(path[CommonJsPrefix.Length..], context.RequestAborted).ConfigureAwait(false),
            _ => null,
        };
        if (body is not null)
        {
            await WriteScriptAsync(context, body).ConfigureAwait(false);
            return;
        }

        var file = path.StartsWith(ModulesPrefix, StringComparison.Ordinal) ? FindModule(path[ModulesPrefix.Length..]) : null;
        if (file is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = JavaScript;
        context.Response.ContentLength = file.Length;
        context.Response.Headers.CacheControl = "no-cache";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A .js file inside one of the served package folders; the file provider refuses paths that leave its folder.</summary>
    private IFileInfo? FindModule(string path)
    {
        if (!path.EndsWith(".js", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var (folder, files) in _moduleFolders)
        {
            if (path.Length > folder.Length && path.StartsWith(folder, StringComparison.Ordinal) && path[folder.Length] == '/')
            {
                var file = files.GetFileInfo(path[(folder.Length + 1)..]);
                return file.Exists && !file.IsDirectory ? file : null;
            }
        }

        return null;
    }

    private async Task<string?> CommonJsAsync(string name, CancellationToken cancellationToken)
    {
        if (!_commonJs.TryGetValue(name, out var dependency))
        {
            return null;
        }

        var source = await File.ReadAllTextAsync(Path.Combine(dependency.Directory, dependency.Entry), cancellationToken).ConfigureAwait(false);
        return CommonJsWrapper.Wrap(dependency.Name, dependency.Entry, source);
    }

    private static async Task WriteScriptAsync(HttpContext context, string body)
    {
        context.Response.ContentType = JavaScript;
        context.Response.Headers.CacheControl = "no-cache";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
