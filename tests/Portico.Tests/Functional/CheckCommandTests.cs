namespace Portico.Tests.Functional;

/// <summary><c>portico --config FILE --check</c>: what starting the file would say, without starting it.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_ConfigWithStartUpWarnings_PrintsTheSameWarningsAStartLogs()
    {
        var directory = Directory.CreateTempSubdirectory("portico-check-");
        try
        {
            var config = Path.Combine(directory.FullName, "warn.json");
            await File.WriteAllTextAsync(config, """
                {
                  "listeners": { "qpsApi": null },
                  "virtualProxies": [
                    {
                      "prefix": "sso", "sessionCookieHeaderName": "X-Qlik-Session-sso",
                      "authenticationMethod": "HeaderStaticUserDirectory", "headerAuthenticationHeaderName": "X-User",
                      "headerAuthenticationStaticUserDirectory": "CORP",
                      "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ]
                    },
                    {
                      "prefix": "open", "sessionCookieHeaderName": "X-Qlik-Session-open",
                      "authenticationMethod": "HeaderStaticUserDirectory", "headerAuthenticationHeaderName": "X-User",
                      "headerAuthenticationStaticUserDirectory": "CORP", "headerAuthenticationTrustedNetworks": [ "0.0.0.0/0" ],
                      "additionalResponseHeaders": "Strict-Transport-Security: max-age=0",
                      "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ]
                    }
                  ]
                }
                """);

            var (exitCode, output) = await CommandLineTests.RunPorticoAsync(directory.FullName, "--config", config, "--check");

            Assert.Equal(0, exitCode);
            Assert.Contains("is valid", output, StringComparison.Ordinal);
            Assert.Contains("warning: virtual proxy 'sso' believes the X-User header from any address", output, StringComparison.Ordinal);
            Assert.Contains("warning: virtualProxies[1].headerAuthenticationTrustedNetworks: trusts every IPv4 address", output, StringComparison.Ordinal);
            Assert.Contains("warning: virtualProxies[1].additionalResponseHeaders: line 1: \"Strict-Transport-Security: max-age=0\" tells browsers to forget HSTS", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
