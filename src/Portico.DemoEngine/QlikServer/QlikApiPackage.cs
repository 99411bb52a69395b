using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// An installed <c>@qlik/api</c> package whose own modules the demo engine serves as Qlik's browser
/// runtime (<c>/qlik-embed/main.js</c>). Nothing of Qlik's is copied into this repository: the
/// admin points the engine at a package npm installed, and its layout is checked here once, at start.
/// </summary>
public sealed partial class QlikApiPackage
{
    /// <summary>The version whose layout this reader was written against.</summary>
    public const string KnownVersion = "2.19.0";

    private const string PackageName = "@qlik/api";

    // The package's own loader names the file behind each runtime module in its Node branch, e.g.
    // `if (isNode) return import("./qix-g-cGB4fY.js").then((n) => n.t);`. Reading the names from
    // there keeps the chunk hashes out of this code.
    private const string RuntimeLoaderPattern = "public-runtime-modules-*.js";

    private QlikApiPackage(string directory, string version, IReadOnlyList<RuntimeModule> runtimeModules, IReadOnlyList<ModuleDependency> dependencies)
    {
        Directory = directory;
        Version = version;
        RuntimeModules = runtimeModules;
        Dependencies = dependencies;
    }

    /// <summary>The package folder (the one holding its package.json).</summary>
    public string Directory { get; }

    /// <summary>The package's version.</summary>
    public string Version { get; }

    internal IReadOnlyList<RuntimeModule> RuntimeModules { get; }

    internal IReadOnlyList<ModuleDependency> Dependencies { get; }

    /// <summary>
    /// Reads and checks the package at <paramref name="directory"/>; throws
    /// <see cref="ArgumentException"/> naming the problem and the fix.
    /// </summary>
    /// <param name="directory">The package folder, e.g. <c>tests/clients/node_modules/@qlik/api</c>.</param>
    /// <param name="setting">How the admin wrote the setting, for the message (e.g. <c>--qlik-api-package</c>).</param>
    public static QlikApiPackage Load(string directory, string setting = "--qlik-api-package")
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw Problem(setting, $"is empty; give the folder of an installed @qlik/api (e.g. node_modules/@qlik/api after `npm install @qlik/api@{KnownVersion}`)");
        }

        var full = Path.GetFullPath(directory);
        var packageJson = Path.Combine(full, "package.json");
        if (!File.Exists(packageJson))
        {
            throw Problem(setting, $"\"{directory}\" has no package.json; point it at the folder of an installed @qlik/api (e.g. node_modules/@qlik/api after `npm install @qlik/api@{KnownVersion}`)");
        }

        var (name, version, dependencyNames) = ReadPackageJson(packageJson, setting);
        if (name != PackageName)
        {
            throw Problem(setting, $"\"{directory}\" holds the package \"{name}\", not {PackageName}; point it at node_modules/@qlik/api");
        }

        var runtimeModules = ReadRuntimeModules(full, version, setting);
        var dependencies = dependencyNames.Select(dependency => FindDependency(full, dependency, setting)).ToList();
        return new QlikApiPackage(full, version, runtimeModules, dependencies);
    }

    /// <summary>
    /// What is wrong with the package at <paramref name="directory"/> (the problem and the fix, for a
    /// configuration error), or null when the engine can serve it.
    /// </summary>
    /// <param name="directory">The package folder.</param>
    public static string? Check(string directory)
    {
        try
        {
            Load(directory, "");
            return null;
        }
        catch (PackageProblem problem)
        {
            return problem.Problem;
        }
    }

    private static (string Name, string Version, IReadOnlyList<string> Dependencies) ReadPackageJson(string path, string setting)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var dependencies = root.TryGetProperty("dependencies", out var d) && d.ValueKind == JsonValueKind.Object
                ? d.EnumerateObject().Select(p => p.Name).ToList()
                : [];
            return (name, version, dependencies);
        }
        catch (JsonException ex)
        {
            throw Problem(setting, $"\"{path}\" is not valid JSON ({ex.Message}); reinstall the package with npm");
        }
    }

    private static List<RuntimeModule> ReadRuntimeModules(string directory, string version, string setting)
    {
        var chunks = Path.Combine(directory, "chunks");
        var loaders = System.IO.Directory.Exists(chunks) ? System.IO.Directory.GetFiles(chunks, RuntimeLoaderPattern) : [];
        if (loaders.Length != 1)
        {
            throw Problem(setting, $"@qlik/api {version} has {loaders.Length} files chunks/{RuntimeLoaderPattern}, where the layout of {KnownVersion} has one; install @qlik/api@{KnownVersion}");
        }

        var text = File.ReadAllText(loaders[0]);
        var modules = new List<RuntimeModule>();
        foreach (Match function in LoaderFunction().Matches(text))
        {
            var body = function.Groups["body"].Value;
            var runtimeName = RuntimeName().Match(body);
            var nodeImport = NodeImport().Match(body);
            if (!runtimeName.Success || !nodeImport.Success)
            {
                continue;
            }

            var path = "chunks/" + nodeImport.Groups["file"].Value;
            if (!File.Exists(Path.Combine(chunks, nodeImport.Groups["file"].Value)))
            {
                throw Problem(setting, $"@qlik/api {version}: {path}, named in {Path.GetFileName(loaders[0])}, is missing; reinstall the package with npm");
            }

            var export = nodeImport.Groups["export"].Success ? nodeImport.Groups["export"].Value : null;
            modules.Add(new RuntimeModule(runtimeName.Groups["name"].Value, path, export));
        }

        string[] expected = ["auth@v1", "qix@v1", "invoke-fetch@v1"];
        var missing = expected.Where(name => modules.All(m => m.Name != name)).ToList();
        if (missing.Count > 0)
        {
            throw Problem(setting, $"@qlik/api {version}: {Path.GetFileName(loaders[0])} does not name the files of {string.Join(", ", missing)} the way {KnownVersion} does; install @qlik/api@{KnownVersion}");
        }

        return modules;
    }

    /// <summary>Node's lookup: node_modules folders from the package's own upwards.</summary>
    private static ModuleDependency FindDependency(string packageDirectory, string name, string setting)
    {
        for (var folder = new DirectoryInfo(packageDirectory); folder is not null; folder = folder.Parent)
        {
            var modules = folder.Name == "node_modules" ? folder.FullName : Path.Combine(folder.FullName, "node_modules");
            var candidate = Path.Combine(modules, name);
            var packageJson = Path.Combine(candidate, "package.json");
            if (File.Exists(packageJson))
            {
                return ReadDependency(name, candidate, packageJson, setting);
            }
        }

        throw Problem(setting, $"@qlik/api's dependency \"{name}\" is not installed next to it; install @qlik/api with npm (not by copying its folder) so that its dependencies come along");
    }

    private static ModuleDependency ReadDependency(string name, string directory, string packageJson, string setting)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
            var root = document.RootElement;
            var isEsModule = root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "module";

            // A bundler's choice: the "browser" file when the package has one (ws's throws a clear
            // error in a browser instead of failing on Node's modules), else "main", else index.js.
            var entry = StringProperty(root, "browser") ?? StringProperty(root, "main") ?? "index.js";
            entry = entry.TrimStart('.', '/');
            if (!File.Exists(Path.Combine(directory, entry)) && File.Exists(Path.Combine(directory, entry + ".js")))
            {
                entry += ".js";
            }

            if (!File.Exists(Path.Combine(directory, entry)))
            {
                throw Problem(setting, $"@qlik/api's dependency \"{name}\" names its entry \"{entry}\", which is missing; reinstall the packages with npm");
            }

            return new ModuleDependency(name, directory, isEsModule, entry);
        }
        catch (JsonException ex)
        {
            throw Problem(setting, $"\"{packageJson}\" is not valid JSON ({ex.Message}); reinstall the packages with npm");
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PackageProblem Problem(string setting, string message) => new(setting, message + ".");

    /// <summary>An unusable package; the message names the setting, <see cref="Problem"/> is the rest.</summary>
    private sealed class PackageProblem(string setting, string problem) : ArgumentException($"{setting}: {problem}")
    {
        public string Problem { get; } = problem;
    }

    [GeneratedRegex(@"async function get\w+RuntimeModule\(\w+\) \{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex LoaderFunction();

    [GeneratedRegex(@"importRuntimeModulePromise\)\(""(?<name>[a-z-]+@v\d+)""")]
    private static partial Regex RuntimeName();

    [GeneratedRegex(@"if \(isNode\) return import\(""\./(?<file>[\w.-]+\.js)""\)(?:\.then\(\((?<arg>\w+)\) => \k<arg>\.(?<export>\w+)\))?")]
    private static partial Regex NodeImport();
}
