using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portico.DemoEngine.Tests.Qix;

/// <summary>JSON-RPC framing: ids, handles, params, and the error codes for broken requests.</summary>
public sealed class QixDispatcherTests
{
    [Fact]
    public void Dispatch_ValidRequest_EchoesIdAndJsonRpcVersion()
    {
        var client = new QixTestClient();

        var response = client.Send("""{"jsonrpc":"2.0","id":"abc-1","method":"EngineVersion","handle":-1,"params":[]}""");

        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.Equal("abc-1", response.GetProperty("id").GetString());
        Assert.True(response.TryGetProperty("result", out _));
    }

    [Fact]
    public void Dispatch_DeltaRequested_AnswersWithPlainResultWithoutDelta()
    {
        var client = new QixTestClient();

        var response = client.Send("""{"jsonrpc":"2.0","id":1,"delta":true,"method":"EngineVersion","handle":-1,"params":[]}""");

        Assert.False(response.TryGetProperty("delta", out _));
        Assert.Equal("12.2000.0", response.GetProperty("result").GetProperty("qVersion").GetProperty("qComponentVersion").GetString());
    }

    [Fact]
    public void Dispatch_UnknownMethod_ReturnsMethodNotFoundNamingTheMethod()
    {
        var client = new QixTestClient();

        var response = client.Send("""{"jsonrpc":"2.0","id":7,"method":"NoSuchMethod","handle":-1,"params":[]}""");

        Assert.Equal(7, response.GetProperty("id").GetInt32());
        var error = response.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        Assert.Equal("Method not found", error.GetProperty("message").GetString());
        Assert.Equal("NoSuchMethod", error.GetProperty("parameter").GetString());
    }

    [Fact]
    public void Dispatch_DocMethodOnGlobalHandle_ReturnsMethodNotFound()
    {
        var client = new QixTestClient();

        var error = client.CallExpectingError("GetAppLayout");

        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public void Dispatch_UnknownHandle_ReturnsInvalidParams()
    {
        var client = new QixTestClient();

        var error = client.CallExpectingError("GetLayout", handle: 42);

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal("42", error.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"EngineVersion","handle":"one","params":[]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"EngineVersion","handle":-1,"params":"x"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"OpenDoc","handle":-1,"params":[42]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"OpenDoc","handle":-1,"params":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"OpenDoc","handle":-1,"params":[""]}""")]
    public void Dispatch_BadHandleOrParams_ReturnsInvalidParams(string frame)
    {
        var client = new QixTestClient();

        var response = client.Send(frame);

        Assert.Equal(1, response.GetProperty("id").GetInt32());
        Assert.Equal(-32602, response.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,")]
    [InlineData("not json at all")]
    [InlineData("")]
    public void Dispatch_MalformedJson_ReturnsParseErrorWithNullId(string frame)
    {
        var client = new QixTestClient();

        var response = client.Send(frame);

        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
        Assert.Equal(-32700, response.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public void Dispatch_InvalidUtf8_ReturnsParseError()
    {
        var client = new QixTestClient();
        byte[] frame = [.. Encoding.UTF8.GetBytes("{\"id\":1,\"method\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];

        var reply = client.Dispatcher.Dispatch(frame, client.Connection);

        Assert.NotNull(reply);
        Assert.Equal(-32700, JsonDocument.Parse(reply).RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"EngineVersion\"")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"handle":-1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"EngineVersion"}""")]
    public void Dispatch_NotARequest_ReturnsInvalidRequest(string frame)
    {
        var client = new QixTestClient();

        var response = client.Send(frame);

        Assert.Equal(-32600, response.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public void Dispatch_RequestWithoutId_SendsNoReply()
    {
        var client = new QixTestClient();

        var reply = client.Dispatcher.Dispatch("""{"jsonrpc":"2.0","method":"OpenDoc","handle":-1,"params":["Sales Demo.qvf"]}""", client.Connection);

        Assert.Null(reply);
        Assert.NotNull(client.Connection.ActiveDocument);
    }

    [Fact]
    public void Dispatch_RequestWithoutHandle_AddressesGlobal()
    {
        var client = new QixTestClient();

        var response = client.Send("""{"jsonrpc":"2.0","id":3,"method":"GetAuthenticatedUser"}""");

        Assert.Equal(Users.AliceHeader, response.GetProperty("result").GetProperty("qReturn").GetString());
    }

    [Fact]
    public void Dispatch_ErrorResponse_LeavesConnectionUsable()
    {
        var client = new QixTestClient();

        client.CallExpectingError("Nope");
        client.Send("garbage");
        var result = client.Call("EngineVersion");

        Assert.Equal("12.2000.0", result.GetProperty("qVersion").GetProperty("qComponentVersion").GetString());
    }

    [Fact]
    public void Dispatch_NamedAndPositionalParams_AreEquivalent()
    {
        var positional = new QixTestClient();
        var named = new QixTestClient();

        var byPosition = positional.Call("OpenDoc", parameters: new JsonArray("Sales Demo.qvf"));
        var byName = named.Call("OpenDoc", parameters: new JsonObject { ["qDocName"] = "Sales Demo.qvf" });

        Assert.Equal(byPosition.ToString(), byName.ToString());
    }
}
