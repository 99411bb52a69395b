using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Listeners;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Admin;

/// <summary>One Portico with its admin (QRS) API, the audit log on, and one demo engine; tests add their own virtual proxies.</summary>
public sealed class AdminFixture : IAsyncLifetime
{
    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public int QrsApiPort { get; private set; }

    public string AuditPath => Path.Combine(Portico.Directory, "data", "audit.jsonl");

    public string EngineUrl => Engine.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var config = PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", Engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("keep", Engine.BaseAddress) with { Description = "kept open" }) with
        {
            Audit = new AuditConfig { Enabled = true, File = "data/audit.jsonl" },
        };
        Portico = await PorticoTestHost.StartAsync(PorticoTestHost.WithAdminApi(config));
        QrsApiPort = Portico.Services.GetRequiredService<BoundListeners>().QrsApiPort!.Value;
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }

    internal QpsApiClient Client(bool withCertificate = true) => new(Portico, useDevelopmentCertificate: withCertificate, port: QrsApiPort);

    /// <summary>A virtual proxy body a QRS client would POST, with a prefix and cookie of its own.</summary>
    public JsonObject NewProxy(string prefix) => NewProxy(prefix, EngineUrl);

    /// <summary>An anonymous ticket virtual proxy on one engine, as a QRS client would POST it.</summary>
    public static JsonObject NewProxy(string prefix, string engineUrl) => new()
    {
        ["prefix"] = prefix,
        ["description"] = $"{prefix} for a test",
        ["sessionCookieHeaderName"] = $"X-Qlik-Session-{prefix}",
        ["anonymousAccessMode"] = 2,
        ["authenticationMethod"] = 0,
        ["loadBalancingServerNodes"] = new JsonArray(engineUrl),
    };

    public async Task<JsonObject> CreateAsync(string prefix)
    {
        using var api = Client();
        var response = await api.SendAsync(HttpMethod.Post, "qrs/virtualproxyconfig", NewProxy(prefix).ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static string Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? "null";
}
