namespace Portico.DemoEngine.QlikServer;

/// <summary>
/// One module @qlik/api asks Qlik's runtime for (<c>QlikMain.import(Name)</c>): the package file
/// that implements it and, when the package hands over a single export rather than the whole module
/// namespace, that export's name.
/// </summary>
/// <param name="Name">The runtime name, e.g. <c>auth@v1</c>.</param>
/// <param name="Path">The file, relative to the package folder, with '/' separators.</param>
/// <param name="Export">The export to return, or null for the module namespace.</param>
internal sealed record RuntimeModule(string Name, string Path, string? Export);
