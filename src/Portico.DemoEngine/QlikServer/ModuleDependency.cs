namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// A package @qlik/api's modules import by bare name (<c>lodash-es</c>, <c>extend</c>,
/// <c>enigma.js</c>). Browsers resolve bare names only through an import map, and load ES modules
/// only: an ES module package is served as it is, a CommonJS one through a generated wrapper.
/// </summary>
/// <param name="Name">The package name, as written in the import.</param>
/// <param name="Directory">Where the package is installed.</param>
/// <param name="IsEsModule">True when package.json says <c>"type": "module"</c>.</param>
/// <param name="Entry">The file a bare import of the package loads, relative to <paramref name="Directory"/>.</param>
internal sealed record ModuleDependency(string Name, string Directory, bool IsEsModule, string Entry);
