using System.Text.Json.Nodes;
using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Tests.Qix;

public sealed class GlobalMethodsTests
{
    [Fact]
    public void EngineVersion_Called_ReturnsComponentVersion()
    {
        var result = new QixTestClient().Call("EngineVersion");

        Assert.Equal("12.2000.0", result.GetProperty("qVersion").GetProperty("qComponentVersion").GetString());
    }

    [Fact]
    public void GetAuthenticatedUser_DecodedIdentity_ReturnsItInQlikFormat()
    {
        Assert.True(QlikUser.TryParse("UserDirectory=ACME%20EU; UserId=j%C3%B6rg", out var user));

        var result = new QixTestClient(user).Call("GetAuthenticatedUser");

        Assert.Equal("UserDirectory=ACME EU; UserId=jörg", result.GetProperty("qReturn").GetString());
    }

    [Fact]
    public void GetDocList_DirectoryUser_ListsBothApps()
    {
        var result = new QixTestClient(Users.Alice).Call("GetDocList");

        var names = result.GetProperty("qDocList").EnumerateArray().Select(d => d.GetProperty("qDocName").GetString()).ToList();
        Assert.Equal(["Sales Demo.qvf", "Operations.qvf"], names);
    }

    [Fact]
    public void GetDocList_AnonymousUser_HidesDirectoryOnlyApp()
    {
        var result = new QixTestClient(Users.Anonymous).Call("GetDocList");

        var entry = Assert.Single(result.GetProperty("qDocList").EnumerateArray());
        Assert.Equal("Sales Demo.qvf", entry.GetProperty("qDocName").GetString());
        Assert.Equal("Sales Demo.qvf", entry.GetProperty("qDocId").GetString());
        Assert.Equal("Sales Demo", entry.GetProperty("qTitle").GetString());
    }

    [Fact]
    public void OpenDoc_KnownApp_ReturnsDocHandle()
    {
        var client = new QixTestClient();

        var result = client.Call("OpenDoc", parameters: new JsonArray("Sales Demo.qvf"));

        var handle = result.GetProperty("qReturn");
        Assert.Equal("Doc", handle.GetProperty("qType").GetString());
        Assert.Equal(1, handle.GetProperty("qHandle").GetInt32());
        Assert.Equal("Sales Demo.qvf", handle.GetProperty("qGenericId").GetString());
    }

    [Fact]
    public void OpenDoc_AllPositionalArguments_IgnoresCredentials()
    {
        var client = new QixTestClient();

        var result = client.Call("OpenDoc", parameters: new JsonArray("Operations.qvf", "", "", "", false));

        Assert.Equal("Operations.qvf", result.GetProperty("qReturn").GetProperty("qGenericId").GetString());
    }

    [Fact]
    public void OpenDoc_SameAppTwice_ReturnsSameHandle()
    {
        var client = new QixTestClient();

        var first = client.OpenDoc();
        var second = client.OpenDoc("sales demo.QVF");

        Assert.Equal(first, second);
    }

    [Fact]
    public void OpenDoc_SecondDifferentApp_ReturnsAppAlreadyOpen()
    {
        var client = new QixTestClient();
        client.OpenDoc();

        var error = client.CallExpectingError("OpenDoc", parameters: new JsonArray("Operations.qvf"));

        Assert.Equal(1002, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public void OpenDoc_UnknownApp_ReturnsAppNotFound()
    {
        var error = new QixTestClient().CallExpectingError("OpenDoc", parameters: new JsonArray("Missing.qvf"));

        Assert.Equal(1003, error.GetProperty("code").GetInt32());
        Assert.Equal("App not found", error.GetProperty("message").GetString());
    }

    [Fact]
    public void OpenDoc_DirectoryOnlyAppAsAnonymous_ReturnsAccessDenied()
    {
        var client = new QixTestClient(Users.Anonymous);

        var error = client.CallExpectingError("OpenDoc", parameters: new JsonArray("Operations.qvf"));

        Assert.Equal(5, error.GetProperty("code").GetInt32());
        Assert.Null(client.Connection.ActiveDocument);
    }

    [Fact]
    public void GetActiveDoc_NothingOpen_ReturnsAppNotOpen()
    {
        var error = new QixTestClient().CallExpectingError("GetActiveDoc");

        Assert.Equal(1017, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public void GetActiveDoc_AfterOpenDoc_ReturnsOpenDoc()
    {
        var client = new QixTestClient();
        var handle = client.OpenDoc();

        var result = client.Call("GetActiveDoc");

        Assert.Equal(handle, result.GetProperty("qReturn").GetProperty("qHandle").GetInt32());
    }

    [Fact]
    public void CreateConnection_AppInSocketUrl_OpensItUpFront()
    {
        var client = new QixTestClient(Users.Alice, "Sales Demo.qvf");

        var result = client.Call("GetActiveDoc");

        Assert.Equal("Sales Demo.qvf", result.GetProperty("qReturn").GetProperty("qGenericId").GetString());
    }

    [Theory]
    [InlineData("engineData")]
    [InlineData("Missing.qvf")]
    [InlineData(null)]
    public void CreateConnection_GlobalOrUnknownApp_OpensNothing(string? appId)
    {
        var client = new QixTestClient(Users.Alice, appId);

        Assert.Null(client.Connection.ActiveDocument);
    }

    [Fact]
    public void CreateConnection_HiddenAppInSocketUrl_OpensNothing()
    {
        var client = new QixTestClient(Users.Anonymous, "Operations.qvf");

        Assert.Null(client.Connection.ActiveDocument);
    }
}
