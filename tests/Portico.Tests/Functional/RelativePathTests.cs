using Portico.TestSupport;

namespace Portico.Tests.Functional;

/// <summary>
/// The README's way to start Portico, <c>dotnet run --project src/Portico -- --config portico.json</c>,
/// reads portico.json from where the command was typed, not from the project folder.
/// </summary>
public sealed class RelativePathTests
{
#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    [Fact]
    public async Task DotnetRun_RelativeConfigPath_IsReadFromTheDirectoryTheCommandRanIn()
    {
        var directory = Directory.CreateTempSubdirectory("portico-run-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "mine.json"),
                """{ "listeners": { "qpsApi": null }, "virtualProxies": [ { "prefix": "", "anonymousAccessMode": 2, "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""");
            var project = Path.Combine(NodeClients.LocateRepositoryRoot(), "src", "Portico");

            var (exitCode, output) = await CommandLineTests.RunDotnetAsync(directory.FullName, ["run", "--no-build", "-c", BuildConfiguration, "--project", project, "--", "--config", "mine.json", "--check"]);

            Assert.True(exitCode == 0, output);
            Assert.Contains($"portico: {Path.Combine(directory.FullName, "mine.json")} is valid.", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
