namespace Portico.Configuration;

/// <summary>The configuration Portico runs without --config: the demo engine behind an anonymous default virtual proxy.</summary>
internal static class DemoConfig
{
    public static string Json()
    {
        using var stream = typeof(DemoConfig).Assembly.GetManifestResourceStream("Portico.Configuration.DemoConfig.json")
            ?? throw new InvalidOperationException("The demo configuration is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <param name="baseDirectory">Where the demo's relative data directory goes (the working directory).</param>
    public static ConfigLoadResult Load(string baseDirectory) => ConfigLoader.Parse(Json(), baseDirectory);
}
