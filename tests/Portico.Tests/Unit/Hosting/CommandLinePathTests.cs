using Portico.Hosting;

namespace Portico.Tests.Unit.Hosting;

/// <summary>Relative paths on the command line are the user's: they resolve against the directory the command ran in.</summary>
public sealed class CommandLinePathTests
{
    private static readonly string WorkingDirectory = Path.Combine(Path.GetTempPath(), "portico-user-dir");

    [Fact]
    public void Parse_RelativeConfigPath_ResolvesAgainstTheWorkingDirectory()
    {
        var parsed = CommandLine.Parse(["--config", Path.Combine("conf", "portico.json"), "--check"], WorkingDirectory);

        Assert.Equal(Path.Combine(WorkingDirectory, "conf", "portico.json"), parsed.ConfigPath);
        Assert.Equal(Command.Check, parsed.Command);
    }

    [Fact]
    public void Parse_AbsoluteConfigPath_IsKept()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "elsewhere", "portico.json");

        Assert.Equal(absolute, CommandLine.Parse(["--config", absolute], WorkingDirectory).ConfigPath);
    }

    [Fact]
    public void Parse_DoctorRelativeCaFile_ResolvesAgainstTheWorkingDirectory()
    {
        var parsed = CommandLine.Parse(["doctor", "--url", "https://q.example.com/", "--ca", "../ca.pem"], WorkingDirectory);

        Assert.Equal(Path.GetFullPath(Path.Combine(WorkingDirectory, "..", "ca.pem")), parsed.Doctor!.CaFile);
    }

    [Fact]
    public void Parse_EmptyPaths_AreErrorsNamingTheOption()
    {
        Assert.Contains("--config", CommandLine.Parse(["--config", ""], WorkingDirectory).Error, StringComparison.Ordinal);
        Assert.Contains("--ca", CommandLine.Parse(["doctor", "--url", "https://q.example.com/", "--ca", ""], WorkingDirectory).Error, StringComparison.Ordinal);
    }
}
