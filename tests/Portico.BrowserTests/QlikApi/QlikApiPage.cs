using Portico.TestSupport;

namespace Portico.BrowserTests.QlikApi;

/// <summary>
/// Adds the @qlik/api test page to the mashup sites' server: <c>/qlik-api/</c> is the page, and
/// <c>/qlik-api/node_modules/…</c> the .js files of tests/clients/node_modules exactly as npm installed
/// them (the page imports @qlik/api/qix.js from there, unbundled). Served from 127.0.0.1 like the
/// sample, so Chromium treats the page as the loopback site it is.
/// </summary>
internal static class QlikApiPage
{
    public const string Path = "/qlik-api/";

    private static readonly string PageFile = System.IO.Path.Combine(MashupEnvironment.RepositoryRoot, "tests", "Portico.BrowserTests", "QlikApi", "qlik-api-page.html");

    private static readonly string NodeModules = System.IO.Path.GetFullPath(System.IO.Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules")) + System.IO.Path.DirectorySeparatorChar;

    public static void Map(WebApplication app)
    {
        app.MapGet(Path, () => Results.File(PageFile, "text/html; charset=utf-8"));
        app.MapGet(Path + "node_modules/{**file}", (string file) =>
        {
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(NodeModules, file));
            return full.StartsWith(NodeModules, StringComparison.Ordinal) && full.EndsWith(".js", StringComparison.Ordinal) && File.Exists(full)
                ? Results.File(full, "text/javascript; charset=utf-8")
                : Results.NotFound();
        });
    }
}
