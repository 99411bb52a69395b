namespace Portico.BrowserTests;

/// <summary>The Portico config the mashup sample's README shows is one Portico accepts as it stands.</summary>
public sealed class SampleConfigTests
{
    [Fact]
    public async Task SampleConfig_PorticoCheck_IsValid()
    {
        var directory = Directory.CreateTempSubdirectory("portico-sample-config-");
        try
        {
            var config = Path.Combine(directory.FullName, "portico.json");
            File.Copy(Path.Combine(MashupEnvironment.RepositoryRoot, "samples", "mashup", "portico.json"), config);
            var start = new System.Diagnostics.ProcessStartInfo(PorticoProcess.DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory.FullName,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portico.dll"));
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
            start.ArgumentList.Add("--check");
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(process.ExitCode == 0, await stdout + await stderr);
            Assert.Contains("is valid", await stdout, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
