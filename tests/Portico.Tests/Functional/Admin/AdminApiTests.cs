using System.Net;
using System.Text.Json.Nodes;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Admin;

/// <summary>docs/admin-api.md: the QRS-compatible virtual proxy API on a real Portico.</summary>
public sealed class AdminApiTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Reads_ListCondensedAndFull_CountFilterAndGetById_InQliksShape()
    {
        using var api = fixture.Client();

        var condensed = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig"))).AsArray();
        var full = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig/full"))).AsArray();
        var count = await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig/count?filter=" + Uri.EscapeDataString("prefix eq 'keep'")));
        var filtered = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig?filter=" + Uri.EscapeDataString("(prefix eq 'KEEP') or description so 'nothing such'")))).AsArray();

        Assert.Contains(condensed, vp => AdminFixture.Text(vp!["prefix"]) == "keep");
        Assert.Null(condensed[0]!["sessionCookieHeaderName"]);
        var keep = full.Single(vp => AdminFixture.Text(vp!["prefix"]) == "keep")!.AsObject();
        Assert.True(Guid.TryParse(AdminFixture.Text(keep["id"]), out var id));
        Assert.Equal(0, keep["authenticationMethod"]!.GetValue<int>());
        Assert.Equal(2, keep["anonymousAccessMode"]!.GetValue<int>());
        Assert.Equal("X-Qlik-Session-keep", AdminFixture.Text(keep["sessionCookieHeaderName"]));
        Assert.EndsWith("Z", AdminFixture.Text(keep["modifiedDate"]), StringComparison.Ordinal);
        Assert.Equal(1, count["value"]!.GetValue<int>());
        Assert.Equal("keep", AdminFixture.Text(Assert.Single(filtered)!["prefix"]));

        var one = await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.NotNull(one.Headers.ETag);
        Assert.Equal("keep", AdminFixture.Text((await AdminFixture.JsonAsync(one))["prefix"]));
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig?filter=" + Uri.EscapeDataString("prefix zz 'x'"))).StatusCode);
    }

    [Fact]
    public async Task SamlVirtualProxy_CreatedThroughTheApi_HasItsSpMetadataWhereQlikServesIt()
    {
        using var api = fixture.Client();
        var body = fixture.NewProxy("samlsp");
        body["authenticationMethod"] = 3;
        body["anonymousAccessMode"] = 0;
        body["samlMetadataIdP"] = Unit.Authentication.Saml.SamlTestIdp.Shared.Metadata();
        body["samlHostUri"] = "https://portico.example.test";
        body["samlEntityId"] = "https://portico.example.test/samlsp";
        body["samlAttributeUserDirectory"] = "[CORP]";
        var created = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", body.ToJsonString());
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = AdminFixture.Text((await AdminFixture.JsonAsync(created))["id"]);

        var metadata = await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}/generate/samlmetadata");
        var xml = await metadata.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("application/samlmetadata+xml", metadata.Content.Headers.ContentType!.MediaType);
        Assert.Contains("entityID=\"https://portico.example.test/samlsp\"", xml, StringComparison.Ordinal);
        Assert.Contains("Location=\"https://portico.example.test/samlsp/saml/acs\"", xml, StringComparison.Ordinal);

        var ticketProxy = await fixture.CreateAsync("notsaml");
        var none = await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{AdminFixture.Text(ticketProxy["id"])}/generate/samlmetadata");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("not_saml", AdminFixture.Text((await AdminFixture.JsonAsync(none))["error"]));
    }

    [Fact]
    public async Task Create_Is201_ServesAtOnce_WritesTheFile_AndKeepsUnknownQlikFieldsWithoutApplyingThem()
    {
        using var api = fixture.Client();
        var body = fixture.NewProxy("created");
        body["extendedSecurityEnvironment"] = "urn:example";
        body["windowsAuthenticationEnabledDevicePattern"] = "Windows";

        var response = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", body.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await AdminFixture.JsonAsync(response)).AsObject();
        var id = AdminFixture.Text(created["id"]);
        Assert.EndsWith($"/qrs/virtualproxyconfig/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("urn:example", AdminFixture.Text(created["extendedSecurityEnvironment"]));
        Assert.Contains("CN=", AdminFixture.Text(created["modifiedByUserName"]), StringComparison.Ordinal);

        using var client = fixture.Portico.CreateClient();
        var served = await client.GetAsync("/created/portico-demo/echo");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        var file = JsonNode.Parse(await File.ReadAllTextAsync(fixture.Portico.ConfigPath))!;
        var written = file["virtualProxies"]!.AsArray().Single(vp => AdminFixture.Text(vp!["prefix"]) == "created")!;
        Assert.Equal(id, AdminFixture.Text(written["id"]));
        Assert.Equal("urn:example", AdminFixture.Text(written["qlikFieldsNotApplied"]!["extendedSecurityEnvironment"]));
        // A POST leaves defaults out of the file, as an admin writes it by hand.
        Assert.Null(written["webSocketKeepAliveSeconds"]);
        Assert.Equal("AlwaysAnonymous", AdminFixture.Text(written["anonymousAccessMode"]));

        var again = await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}"));
        Assert.Equal("Windows", AdminFixture.Text(again["windowsAuthenticationEnabledDevicePattern"]));
    }

    [Fact]
    public async Task Update_WithTheModifiedDateRead_Applies_AStaleOneIs409WithTheCurrentEntity_AndAStaleETagIs412()
    {
        var created = await fixture.CreateAsync("updated");
        var id = AdminFixture.Text(created["id"]);
        using var api = fixture.Client();
        var read = await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}");
        var etag = read.Headers.ETag!.ToString();
        var staleDate = AdminFixture.Text(created["modifiedDate"]);

        var first = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["id"] = id, ["modifiedDate"] = staleDate, ["additionalResponseHeaders"] = "X-Admin: 1" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var client = fixture.Portico.CreateClient();
        Assert.Equal("1", Assert.Single((await client.GetAsync("/updated/portico-demo/echo")).Headers.GetValues("X-Admin")));

        var stale = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["modifiedDate"] = staleDate, ["additionalResponseHeaders"] = "X-Admin: 2" }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("X-Admin: 1", AdminFixture.Text((await AdminFixture.JsonAsync(stale))["additionalResponseHeaders"]));

        var precondition = await SendWithIfMatchAsync(api, id, etag, """{"additionalResponseHeaders":"X-Admin: 3"}""");
        Assert.Equal(HttpStatusCode.PreconditionFailed, precondition.StatusCode);

        var unversioned = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", """{"additionalResponseHeaders":"X-Admin: 4"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unversioned.StatusCode);
        Assert.Contains("modifiedDate", await unversioned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("1", Assert.Single((await client.GetAsync("/updated/portico-demo/echo")).Headers.GetValues("X-Admin")));

        var current = await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}");
        var withETag = await SendWithIfMatchAsync(api, id, current.Headers.ETag!.ToString(), """{"additionalResponseHeaders":"X-Admin: 5"}""");
        Assert.Equal(HttpStatusCode.OK, withETag.StatusCode);
        Assert.Equal("5", Assert.Single((await client.GetAsync("/updated/portico-demo/echo")).Headers.GetValues("X-Admin")));
    }

    [Fact]
    public async Task Secrets_AreWriteOnly_NeverAnswered_AndThePlaceholderWrittenBackChangesNothing()
    {
        const string Secret = "s3cret-client-value";
        using var api = fixture.Client();
        var body = fixture.NewProxy("secretive");
        body["authenticationMethod"] = 5;
        body["anonymousAccessMode"] = 0;
        body["oidcConfigurationEndpointUri"] = "https://login.example.invalid/.well-known/openid-configuration";
        body["oidcClientId"] = "portico";
        body["oidcRealm"] = "CORP";
        body["oidcClientSecret"] = Secret;

        var created = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", body.ToJsonString());
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
        var entity = JsonNode.Parse(createdText)!.AsObject();
        var id = AdminFixture.Text(entity["id"]);

        // No answer carries it: create, get, full list, update, dry run, conflict.
        var answers = new List<string> { createdText };
        answers.Add(await (await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{id}")).Content.ReadAsStringAsync());
        answers.Add(await (await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig/full")).Content.ReadAsStringAsync());
        Assert.Equal("(redacted)", AdminFixture.Text(JsonNode.Parse(answers[1])!["oidcClientSecret"]));

        // A client that writes back the whole entity it read sends the placeholder: the secret stays.
        var whole = JsonNode.Parse(answers[1])!.AsObject();
        whole["description"] = "written back whole";
        var writtenBack = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", whole.ToJsonString());
        answers.Add(await writtenBack.Content.ReadAsStringAsync());
        Assert.True(writtenBack.StatusCode == HttpStatusCode.OK, answers[^1]);
        Assert.Equal(Secret, fixture.Portico.Snapshots.Current.Config.VirtualProxies.Single(vp => vp.Prefix == "secretive").OidcClientSecret);

        var dryRun = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}?dryRun=true",
            new JsonObject { ["modifiedDate"] = JsonNode.Parse(answers[^1])!["modifiedDate"]!.DeepClone(), ["oidcClientSecret"] = "another-secret" }.ToJsonString());
        answers.Add(await dryRun.Content.ReadAsStringAsync());
        var stale = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["modifiedDate"] = AdminFixture.Text(entity["modifiedDate"]), ["description"] = "stale" }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        answers.Add(await stale.Content.ReadAsStringAsync());

        foreach (var answer in answers)
        {
            Assert.DoesNotContain(Secret, answer, StringComparison.Ordinal);
            Assert.DoesNotContain("another-secret", answer, StringComparison.Ordinal);
        }

        // A new secret, sent as itself, replaces the old one.
        var replaced = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}",
            new JsonObject { ["modifiedDate"] = JsonNode.Parse(answers[3])!["modifiedDate"]!.DeepClone(), ["oidcClientSecret"] = "rotated-secret" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("rotated-secret", fixture.Portico.Snapshots.Current.Config.VirtualProxies.Single(vp => vp.Prefix == "secretive").OidcClientSecret);
    }

    [Fact]
    public async Task InvalidChange_Is400ListingEveryErrorWithItsFieldPath_AndNothingIsApplied()
    {
        using var api = fixture.Client();
        var before = await File.ReadAllBytesAsync(fixture.Portico.ConfigPath);
        var version = fixture.Portico.Snapshots.Current.Version;
        var body = fixture.NewProxy("Bad/Prefix");
        body["loadBalancingServerNodes"] = new JsonArray("not a url");
        body["additionalResponseHeaders"] = "Set-Cookie: a=b";
        body["sessionCookieHeaderName"] = "X-Qlik-Session-keep";

        var response = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await AdminFixture.JsonAsync(response))["errors"]!.AsArray();
        var fields = errors.Select(e => AdminFixture.Text(e!["field"])).ToHashSet();
        Assert.Contains("prefix", fields);
        Assert.Contains("loadBalancingServerNodes", fields);
        Assert.Contains("additionalResponseHeaders", fields);
        Assert.Contains("sessionCookieHeaderName", fields);
        Assert.All(errors, e => Assert.StartsWith("virtualProxies[", AdminFixture.Text(e!["path"]), StringComparison.Ordinal));
        Assert.Equal(before, await File.ReadAllBytesAsync(fixture.Portico.ConfigPath));
        Assert.Equal(version, fixture.Portico.Snapshots.Current.Version);
    }

    [Fact]
    public async Task DryRun_ReturnsTheValidationResultAndDiff_AndChangesNothing()
    {
        using var api = fixture.Client();
        var full = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig/full"))).AsArray();
        var keep = full.Single(vp => AdminFixture.Text(vp!["prefix"]) == "keep")!;
        var before = await File.ReadAllBytesAsync(fixture.Portico.ConfigPath);

        var response = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{AdminFixture.Text(keep["id"])}?dryRun=true",
            new JsonObject { ["modifiedDate"] = keep["modifiedDate"]!.DeepClone(), ["description"] = "would change", ["sessionInactivityTimeout"] = 45 }.ToJsonString());
        var invalid = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig?dryRun=true", """{"prefix":"UPPER"}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + fixture.Portico.Logs.AllText);
        var result = await AdminFixture.JsonAsync(response);
        Assert.True(result["dryRun"]!.GetValue<bool>());
        Assert.True(result["valid"]!.GetValue<bool>());
        var diff = result["diff"]!.AsArray();
        Assert.Equal(["description", "sessionInactivityTimeout"], diff.Select(d => AdminFixture.Text(d!["field"])).Order().ToArray());
        Assert.Equal("kept open", AdminFixture.Text(diff.Single(d => AdminFixture.Text(d!["field"]) == "description")!["before"]));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.False((await AdminFixture.JsonAsync(invalid))["valid"]!.GetValue<bool>());
        Assert.Equal(before, await File.ReadAllBytesAsync(fixture.Portico.ConfigPath));
    }

    [Fact]
    public async Task Delete_Is204_AndTheVirtualProxyStopsServing()
    {
        var created = await fixture.CreateAsync("deleted");
        using var api = fixture.Client();
        using var client = fixture.Portico.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/deleted/portico-demo/echo")).StatusCode);

        var response = await api.SendAsync(HttpMethod.Delete, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}")).StatusCode);
        Assert.DoesNotContain(fixture.Portico.Snapshots.Current.Config.VirtualProxies, vp => vp.Prefix == "deleted");
    }

    [Fact]
    public async Task HandEditOfTheFile_ShowsInTheApi()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(fixture.Portico.ConfigPath))!;
        file["virtualProxies"]!.AsArray().Add(new JsonObject
        {
            ["prefix"] = "byhand",
            ["sessionCookieHeaderName"] = "X-Qlik-Session-byhand",
            ["anonymousAccessMode"] = "AlwaysAnonymous",
            ["loadBalancingServerNodes"] = new JsonArray(fixture.EngineUrl),
        });
        var version = fixture.Portico.Snapshots.Current.Version;
        await File.WriteAllTextAsync(fixture.Portico.ConfigPath, file.ToJsonString());
        await Eventually.TrueAsync(() => fixture.Portico.Snapshots.Current.Version > version, TimeSpan.FromSeconds(15), "the hand edit to be applied");
        using var api = fixture.Client();

        var listed = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig?filter=" + Uri.EscapeDataString("prefix eq 'byhand'")))).AsArray();

        var byHand = Assert.Single(listed)!;
        Assert.True(Guid.TryParse(AdminFixture.Text(byHand["id"]), out _));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"qrs/virtualproxyconfig/{AdminFixture.Text(byHand["id"])}")).StatusCode);
    }

    [Fact]
    public async Task Guard_WithoutClientCertificateIs401_WithoutXrfkeyIs403()
    {
        using var anonymous = fixture.Client(withCertificate: false);
        using var api = fixture.Client();

        var noCertificate = await anonymous.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig");
        var noXrfkey = await api.SendAsync(HttpMethod.Get, "qrs/virtualproxyconfig", xrfQuery: null);

        Assert.Equal(HttpStatusCode.Unauthorized, noCertificate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noXrfkey.StatusCode);
        Assert.DoesNotContain("prefix", await noXrfkey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeToAnotherVirtualProxy_LeavesAnOpenWebSocketOpen()
    {
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{fixture.Portico.HttpsPort}/keep/app/engineData"), fixture.Portico.CaPath);
        await socket.WaitForNotificationAsync("OnConnected");
        var created = await fixture.CreateAsync("swapped");
        using var api = fixture.Client();

        var response = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}",
            new JsonObject { ["modifiedDate"] = created["modifiedDate"]!.DeepClone(), ["description"] = "changed while a socket is open" }.ToJsonString());
        var deleted = await api.SendAsync(HttpMethod.Delete, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var user = await socket.CallAsync("GetAuthenticatedUser");
        Assert.StartsWith("UserDirectory=ANONYMOUS", user.GetProperty("result").GetProperty("qReturn").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task EachChange_IsAnAuditEventWithWhoBeforeAndAfter()
    {
        var created = await fixture.CreateAsync("audited");
        using var api = fixture.Client();
        var response = await api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{AdminFixture.Text(created["id"])}",
            new JsonObject { ["modifiedDate"] = created["modifiedDate"]!.DeepClone(), ["description"] = "after" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var createdEvent = await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is("admin.virtualproxy.created", "audited"), "the creation's audit event");
        var updated = await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is("admin.virtualproxy.updated", "audited"), "the update's audit event");

        Assert.Contains("CN=", updated.Field("actor"), StringComparison.Ordinal);
        Assert.Equal("audited for a test", updated.GetProperty("before").GetProperty("description").GetString());
        Assert.Equal("after", updated.GetProperty("after").GetProperty("description").GetString());
        Assert.False(createdEvent.TryGetProperty("before", out _));
        Assert.Equal("audited", createdEvent.GetProperty("after").GetProperty("prefix").GetString());
    }

    [Fact]
    public async Task EngineNodesAndServerNodes_AreListed()
    {
        using var api = fixture.Client();

        var engines = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/portico/enginenode"))).AsArray();
        var serverNodes = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/servernodeconfiguration/full"))).AsArray();

        var keep = engines.Single(e => AdminFixture.Text(e!["virtualProxy"]) == "keep")!;
        Assert.Equal(fixture.EngineUrl, AdminFixture.Text(keep["nodes"]![0]!["address"]).TrimEnd('/'));
        Assert.Contains(serverNodes, n => AdminFixture.Text(n!["hostName"]) == fixture.EngineUrl);
    }

    [Fact]
    public async Task LiveSessions_AreListedPerVirtualProxy_AndARevokedOnesSocketIsClosed()
    {
        await using var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{fixture.Portico.HttpsPort}/app/engineData"), fixture.Portico.CaPath);
        await socket.WaitForNotificationAsync("OnConnected");
        using var api = fixture.Client();

        var sessions = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get, "qrs/portico/session?virtualProxy="))).AsArray();
        Assert.NotEmpty(sessions);
        Assert.All(sessions, s => Assert.Equal("", AdminFixture.Text(s!["virtualProxy"])));
        var first = sessions[0]!;
        var byUser = (await AdminFixture.JsonAsync(await api.SendAsync(HttpMethod.Get,
            $"qrs/portico/session?userDirectory={Uri.EscapeDataString(AdminFixture.Text(first["userDirectory"]))}&userId={Uri.EscapeDataString(AdminFixture.Text(first["userId"]))}"))).AsArray();
        Assert.Contains(byUser, s => AdminFixture.Text(s!["id"]) == AdminFixture.Text(first["id"]));

        foreach (var session in sessions)
        {
            var revoked = await api.SendAsync(HttpMethod.Delete, $"qrs/portico/session/{AdminFixture.Text(session!["id"])}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is("admin.session.revoked", ""), "the revocation's audit event");
    }

    private static Task<HttpResponseMessage> SendWithIfMatchAsync(Authentication.QpsApiClient api, string id, string etag, string body) =>
        api.SendAsync(HttpMethod.Put, $"qrs/virtualproxyconfig/{id}", body, headers: new Dictionary<string, string> { ["If-Match"] = etag });
}
