using System.Text.Json.Nodes;
using Portico.Admin;
using Portico.Configuration;

namespace Portico.Tests.Unit.Admin;

public sealed class QrsVirtualProxyMappingTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly QrsEntityMeta Meta = new(Guid.Parse("0b0e8a43-5a0c-4a57-9c33-3e5d3c0f2a11"), At, At, "INTERNAL\\sa");

    [Fact]
    public void ToEntity_UsesQliksNamesNumbersAndDates_AndReturnsKeptFields()
    {
        var vp = new VirtualProxyConfig
        {
            Prefix = "sales",
            AuthenticationMethod = AuthenticationMethod.Jwt,
            AnonymousAccessMode = AnonymousAccessMode.AllowAnonymous,
            QlikFieldsNotApplied = new Dictionary<string, System.Text.Json.JsonElement> { ["hasSecureAttributeHttp"] = System.Text.Json.JsonDocument.Parse("true").RootElement },
        };

        var entity = QrsVirtualProxyMapping.ToEntity(vp, Meta);

        Assert.Equal("0b0e8a43-5a0c-4a57-9c33-3e5d3c0f2a11", entity["id"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05.678Z", entity["modifiedDate"]!.GetValue<string>());
        Assert.Equal(4, entity["authenticationMethod"]!.GetValue<int>());
        Assert.Equal(1, entity["anonymousAccessMode"]!.GetValue<int>());
        Assert.True(entity["hasSecureAttributeHttp"]!.GetValue<bool>());
        Assert.False(entity.ContainsKey("qlikFieldsNotApplied"));
    }

    [Fact]
    public void ToConfigObject_ForAPost_LeavesDefaultsOutAndKeepsUnknownFieldsApart()
    {
        var body = JsonNode.Parse("""
            { "id": "ignored", "schemaPath": "VirtualProxyConfig", "prefix": "sales", "authenticationMethod": 4,
              "sessionInactivityTimeout": 30, "extendedSecurityEnvironment": "urn:x", "loadBalancingServerNodes": ["http://e:4747"] }
            """)!.AsObject();
        var errors = new List<ConfigError>();

        var written = QrsVirtualProxyMapping.ToConfigObject(body, null, Meta, errors, "virtualProxies[3]");

        Assert.Empty(errors);
        Assert.Equal(Meta.Id.ToString("D"), written["id"]!.GetValue<string>());
        Assert.Equal("Jwt", written["authenticationMethod"]!.GetValue<string>());
        Assert.False(written.ContainsKey("sessionInactivityTimeout"));
        Assert.False(written.ContainsKey("schemaPath"));
        Assert.Equal("urn:x", written["qlikFieldsNotApplied"]!["extendedSecurityEnvironment"]!.GetValue<string>());
    }

    [Fact]
    public void ToConfigObject_ForAPut_KeepsTheAdminsSpellingAndUntouchedFields_AndNullResets()
    {
        var existing = JsonNode.Parse("""
            { "Prefix": "sales", "authenticationMethod": "JWT", "description": "old", "sessionCookieDomain": "example.com",
              "qlikFieldsNotApplied": { "hasSecureAttributeHttp": true } }
            """)!.AsObject();
        var body = JsonNode.Parse("""{ "authenticationMethod": 4, "description": "new", "sessionCookieDomain": null, "hasSecureAttributeHttp": null, "magicLinkHostUri": "x", "webSocketKeepAliveSeconds": 30 }""")!.AsObject();

        var written = QrsVirtualProxyMapping.ToConfigObject(body, existing, Meta, [], "virtualProxies[0]");

        Assert.Equal("sales", written["Prefix"]!.GetValue<string>());
        Assert.Equal("JWT", written["authenticationMethod"]!.GetValue<string>());
        Assert.Equal("new", written["description"]!.GetValue<string>());
        Assert.False(written.ContainsKey("sessionCookieDomain"));
        Assert.False(written.ContainsKey("webSocketKeepAliveSeconds"));
        Assert.Equal(["magicLinkHostUri"], written["qlikFieldsNotApplied"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void ToConfigObject_ServerNodeReferences_NameTheirEngineUrl_OrAreErrors()
    {
        var body = JsonNode.Parse("""{ "loadBalancingServerNodes": [ { "id": "x", "hostName": "http://e:4747" }, { "id": "y", "hostName": "qlik-node-2" } ] }""")!.AsObject();
        var errors = new List<ConfigError>();

        var written = QrsVirtualProxyMapping.ToConfigObject(body, null, Meta, errors, "virtualProxies[1]");

        Assert.Equal("http://e:4747", written["loadBalancingServerNodes"]![0]!.GetValue<string>());
        var error = Assert.Single(errors);
        Assert.Equal("virtualProxies[1].loadBalancingServerNodes[1]", error.Path);
    }

    [Fact]
    public void DerivedId_IsStablePerPrefix()
    {
        Assert.Equal(QrsEntityMeta.DerivedId("sales"), QrsEntityMeta.DerivedId("sales"));
        Assert.NotEqual(QrsEntityMeta.DerivedId("sales"), QrsEntityMeta.DerivedId(""));
    }

    [Fact]
    public void Diff_ListsChangedFields_AndRedactsSecrets()
    {
        var before = new JsonObject { ["prefix"] = "a", ["oidcClientSecret"] = "s1", ["modifiedDate"] = "1" };
        var after = new JsonObject { ["prefix"] = "b", ["oidcClientSecret"] = "s2", ["modifiedDate"] = "2" };

        var diff = EntityDiff.Of(before, after);

        Assert.Equal(["prefix", "oidcClientSecret"], diff.Select(d => d.Field));
        Assert.Equal("(redacted)", diff[1].After!.GetValue<string>());
        Assert.Equal("(redacted)", EntityDiff.Redact(after)!["oidcClientSecret"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("UserDirectory=INTERNAL; UserId=sa_api", "INTERNAL\\sa_api")]
    [InlineData("userid=bob;userdirectory=CORP", "CORP\\bob")]
    [InlineData("UserDirectory=INTERNAL", null)]
    [InlineData(null, null)]
    public void QlikUserOf_ReadsQliksHeader(string? header, string? expected) =>
        Assert.Equal(expected, AdminCaller.QlikUserOf(header));
}
