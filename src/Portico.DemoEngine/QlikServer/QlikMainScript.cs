using System.Reflection;
using System.Text.Json.Nodes;

namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// <c>/qlik-embed/main.js</c>: the demo's QlikMain runtime (qlik-main.js, embedded in this assembly)
/// with what it needs to know about the installed package: which file is each runtime module, where
/// the bare names its modules import resolve, and the product info.
/// </summary>
internal static class QlikMainScript
{
    private const string Placeholder = "/*CONFIG*/";

    /// <summary>Where the CommonJS wrappers live, relative to the module root (see <see cref="QlikEmbedEndpoint"/>).</summary>
    public const string CommonJsFolder = "../commonjs/";

    public static string Build(QlikApiPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var modules = new JsonObject();
        foreach (var module in package.RuntimeModules)
        {
            modules[module.Name] = new JsonObject
            {
                ["path"] = QlikEmbedEndpoint.PackageFolder + "/" + module.Path,
                ["export"] = module.Export,
            };
        }

        var imports = new JsonObject();
        foreach (var dependency in package.Dependencies)
        {
            if (dependency.IsEsModule)
            {
                imports[dependency.Name] = dependency.Name + "/" + dependency.Entry;
                imports[dependency.Name + "/"] = dependency.Name + "/";
            }
            else
            {
                imports[dependency.Name] = CommonJsFolder + dependency.Name;
            }
        }

        var config = new JsonObject
        {
            ["productInfo"] = ProductInfo.Build(),
            ["modules"] = modules,
            ["imports"] = imports,
        };
        return Template.Value.Replace(Placeholder, config.ToJsonString(), StringComparison.Ordinal);
    }

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(QlikMainScript).Assembly.GetManifestResourceStream("Portico.DemoEngine.QlikServer.qlik-main.js")
            ?? throw new InvalidOperationException("qlik-main.js is not embedded in " + typeof(QlikMainScript).Assembly.GetName().Name);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return text.Contains(Placeholder, StringComparison.Ordinal)
            ? text
            : throw new InvalidOperationException("qlik-main.js lacks its " + Placeholder + " placeholder");
    });
}
