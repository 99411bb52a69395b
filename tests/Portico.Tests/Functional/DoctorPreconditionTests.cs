using System.Net;
using System.Net.Sockets;
using Portico.Doctor;
using Portico.Hosting;

namespace Portico.Tests.Functional;

/// <summary><c>portico doctor</c> when it cannot do its job: it says so instead of passing what it never saw.</summary>
public sealed class DoctorPreconditionTests
{
    [Fact]
    public async Task Doctor_NothingListening_NoCheckPassesAndTheStrangerCheckCouldNotRun()
    {
        var port = UnusedPort();

        var checks = await new DeploymentDoctor(new DoctorOptions
        {
            VirtualProxyUrl = new Uri($"https://127.0.0.1:{port}/sales/"),
            Origin = "https://mashup.test",
            Cookie = "X-Qlik-Session-sales=abc",
            HttpPort = port,
        }).RunAsync(CancellationToken.None);

        Assert.DoesNotContain(checks, c => c.Verdict == DoctorVerdict.Pass);
        var stranger = checks.Single(c => c.Name == "WebSocket from a stranger");
        Assert.Equal(DoctorVerdict.Fail, stranger.Verdict);
        Assert.StartsWith("could not run: ", stranger.Detail, StringComparison.Ordinal);
        Assert.Contains("was not reached", stranger.Detail, StringComparison.Ordinal);
        Assert.Contains("refused", stranger.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.All(checks.Where(c => c.Name is "HSTS" or "CORS preflight" or "CORS headers" or "CSRF token"),
            c => Assert.StartsWith("could not run: ", c.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_MissingCaFile_IsNamedAsSuchBeforeAnyConnection()
    {
        var missing = Path.Combine(Path.GetTempPath(), "portico-no-such-ca-" + Guid.NewGuid().ToString("N") + ".pem");

        var checks = await new DeploymentDoctor(new DoctorOptions
        {
            VirtualProxyUrl = new Uri($"https://127.0.0.1:{UnusedPort()}/"),
            CaFile = missing,
        }).RunAsync(CancellationToken.None);

        var check = Assert.Single(checks);
        Assert.Equal("CA file", check.Name);
        Assert.Equal(DoctorVerdict.Fail, check.Verdict);
        Assert.Contains($"there is no file '{missing}'", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_CaFileWithoutCertificate_IsNamedAsSuch()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a certificate");

            var check = Assert.Single(await new DeploymentDoctor(new DoctorOptions
            {
                VirtualProxyUrl = new Uri($"https://127.0.0.1:{UnusedPort()}/"),
                CaFile = file,
            }).RunAsync(CancellationToken.None));

            Assert.Contains("holds no PEM certificate", check.Detail, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_DoctorHelp_IsHelpWithoutError(string flag)
    {
        var parsed = CommandLine.Parse(["doctor", flag]);

        Assert.Equal(Command.Help, parsed.Command);
        Assert.Null(parsed.Error);
        Assert.Contains("--ca FILE", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoctorHelp_OnTheRealExecutable_PrintsUsageAndExitsZero()
    {
        var directory = Directory.CreateTempSubdirectory("portico-doctor-help-");
        try
        {
            var (exitCode, output) = await CommandLineTests.RunPorticoAsync(directory.FullName, "doctor", "--help");

            Assert.Equal(0, exitCode);
            Assert.Contains("Doctor options:", output, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown argument", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on: the OS picks a free one, which is then closed again.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
