using Portico.TestSupport;

namespace Portico.BrowserTests;

/// <summary>
/// The nebula.js mashup page (NebulaMashup/), added to the sample mashup's web server so that it
/// shares the sample's origin, settings, enigma.js, schema and JWT back end. stardust is served
/// straight from tests/clients/node_modules: the repository holds no library code.
/// </summary>
internal static class NebulaMashupPage
{
    public const string Path = "/nebula/";

    public static void Map(WebApplication app)
    {
        var pageDirectory = System.IO.Path.Combine(MashupEnvironment.RepositoryRoot, "tests", "Portico.BrowserTests", "NebulaMashup");
        var stardust = System.IO.Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "@nebula.js", "stardust", "dist", "stardust.js");
        app.MapGet(Path, () => Results.File(System.IO.Path.Combine(pageDirectory, "index.html"), "text/html; charset=utf-8"));
        app.MapGet(Path + "nebula-mashup.js", () => Results.File(System.IO.Path.Combine(pageDirectory, "nebula-mashup.js"), "text/javascript; charset=utf-8"));
        app.MapGet(Path + "stardust.js", () => Results.File(stardust, "text/javascript; charset=utf-8"));
    }
}
