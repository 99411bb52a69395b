using Portico.Configuration;

namespace Portico.Tests.Unit.Admin;

public sealed class AdminListenerWarningTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void AdminListener_ThatTrustsNoClientCertificate_IsWarnedAbout(bool trustDevelopmentCa, bool warned)
    {
        var config = new PorticoConfig
        {
            Listeners = new ListenersConfig { QpsApi = null, QrsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 } },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = trustDevelopmentCa },
            VirtualProxies = [new VirtualProxyConfig { LoadBalancingServerNodes = ["http://127.0.0.1:4747"] }],
        };

        var warnings = ConfigWarnings.For(ConfigSnapshot.Create(config, Path.GetTempPath(), version: 1));

        Assert.Equal(warned, warnings.Any(w => w.Contains("listeners.qrsApi", StringComparison.Ordinal)));
    }
}
