using Portico.Configuration;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Operations;

public sealed class OpsListenerConfigTests
{
    private readonly string _baseDirectory = ConfigAssert.NonExistentBaseDirectory();

    private ConfigLoadResult Parse(string listeners) => ConfigLoader.Parse(
        $$"""
        {
          "listeners": { {{listeners}} },
          "virtualProxies": [ { "prefix": "", "sessionCookieHeaderName": "X-Qlik-Session", "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ]
        }
        """,
        _baseDirectory);

    [Fact]
    public void Parse_WithoutOps_HasNoOpsListener()
    {
        var result = Parse("""  "https": { "address": "localhost", "port": 8443 }  """);

        ConfigAssert.IsValid(result);
        Assert.Null(result.Config!.Listeners.Ops);
    }

    [Fact]
    public void Parse_Ops_IsBound()
    {
        var result = Parse("""  "ops": { "address": "127.0.0.1", "port": 9090 }  """);

        ConfigAssert.IsValid(result);
        Assert.Equal(new ListenerConfig { Address = "127.0.0.1", Port = 9090 }, result.Config!.Listeners.Ops);
    }

    [Fact]
    public void Parse_OpsOnAnotherListenersPortOrABadAddress_NamesTheField()
    {
        var result = Parse("""  "https": { "address": "localhost", "port": 8443 }, "ops": { "address": "loopback", "port": 8443 }  """);

        Assert.False(result.IsValid);
        ConfigAssert.HasError(result.Errors, "listeners.ops.port", "8443 is already used by listeners.https");
        ConfigAssert.HasError(result.Errors, "listeners.ops.address", "\"loopback\" is not a listen address");
    }

    [Fact]
    public void DemoConfig_BindsOpsToLoopback9090()
    {
        var demo = DemoConfig.Load(_baseDirectory);

        ConfigAssert.IsValid(demo);
        Assert.Equal(new ListenerConfig { Address = "127.0.0.1", Port = 9090 }, demo.Config!.Listeners.Ops);
    }
}
