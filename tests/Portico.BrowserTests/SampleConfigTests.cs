namespace Portico.BrowserTests;

/// <summary>Every sample's Portico config, as its README shows it, is one Portico accepts as it stands.</summary>
public sealed class SampleConfigTests
{
    public static TheoryData<string> Samples() =>
        [.. Directory.EnumerateFiles(MashupEnvironment.SamplesDirectory, "portico.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("node_modules", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task SampleConfig_PorticoCheck_IsValid(string sample)
    {
        var directory = Directory.CreateTempSubdirectory("portico-sample-config-");
        try
        {
            // In a folder of its own, as samples/<sample>/, so that its relative data directory stays in the temporary one.
            var folder = Directory.CreateDirectory(Path.Combine(directory.FullName, sample)).FullName;
            var config = Path.Combine(folder, "portico.json");
            // With the files beside it that it names (e.g. samples/oidc's demo provider CA).
            foreach (var file in Directory.EnumerateFiles(Path.Combine(MashupEnvironment.SamplesDirectory, sample)))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            var start = new System.Diagnostics.ProcessStartInfo(PorticoProcess.DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
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
