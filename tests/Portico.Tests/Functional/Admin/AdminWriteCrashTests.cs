using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Admin;

/// <summary>
/// The admin API's file rewrite under a real crash: a Portico process is killed with SIGKILL while
/// a write is in flight, round after round. Each time the file is whole and valid, holds either the
/// last answered write or the one in flight, and the next start serves it.
/// </summary>
public sealed class AdminWriteCrashTests
{
    private const string XrfKey = "0123456789abcdef";

    [Fact]
    public async Task KilledDuringAWrite_TheFileIsTheOldOrTheNewWholeAndTheNextStartServesIt()
    {
        await using var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var directory = Directory.CreateTempSubdirectory("portico-crash-").FullName;
        var (https, qrs) = (FreePorts.Loopback(), FreePorts.Loopback());
        var configPath = Path.Combine(directory, "portico.json");
        var config = PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("crash", engine.BaseAddress) with { Description = "as written by hand" }) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = https },
                Http = null,
                QpsApi = null,
                QrsApi = new ListenerConfig { Address = "127.0.0.1", Port = qrs },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
        };
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, ConfigJson.Options));
        var answered = "as written by hand";
        var random = new Random(7);

        for (var round = 0; round < 3; round++)
        {
            using var portico = CommandLineTests.StartPortico(directory, "--config", configPath);
            try
            {
                using var api = await ConnectAsync(directory, qrs, portico);
                var entity = await ProxyAsync(api);
                // The start serves what the file holds, and removed what a cut-short write left.
                Assert.Equal(answered, entity["description"]!.GetValue<string>());
                Assert.Empty(Directory.EnumerateFiles(directory, ".portico.json.*.tmp"));

                for (var write = 0; write < 2; write++)
                {
                    var description = $"round {round} write {write}";
                    using var response = await PutAsync(api, entity, description);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    entity = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                    answered = description;
                }

                // One more write, and the process killed while it runs.
                var inFlight = $"round {round} in flight";
                var put = PutAsync(api, entity, inFlight);
                await Task.Delay(random.Next(0, 120));
                Assert.Equal(0, ChildProcess.Signal(portico.Id, 9));
                await portico.WaitForExitAsync();
                try
                {
                    (await put).Dispose();
                }
                catch (HttpRequestException)
                {
                    // The connection died with the process.
                }

                // As a crash between writing the temporary file and its rename leaves it.
                await File.WriteAllTextAsync(Path.Combine(directory, $".portico.json.{Guid.NewGuid():n}.tmp"), "{ half a wri");
                var onDisk = ConfigLoader.LoadFile(configPath);
                Assert.True(onDisk.IsValid, string.Join("; ", onDisk.Errors.Select(e => e.ToString())));
                var kept = onDisk.Config!.VirtualProxies.Single().Description;
                Assert.True(kept == answered || kept == inFlight, $"round {round}: the file holds '{kept}'");
                answered = kept;
            }
            finally
            {
                if (!portico.HasExited)
                {
                    portico.Kill(entireProcessTree: true);
                    await portico.WaitForExitAsync();
                }
            }
        }
    }

    private static async Task<HttpClient> ConnectAsync(string directory, int port, System.Diagnostics.Process portico)
    {
        var data = Path.Combine(directory, "data");
        var ca = Path.Combine(data, Portico.Certificates.DevelopmentCertificates.CaFileName);
        var client = Path.Combine(data, Portico.Certificates.DevelopmentCertificates.ClientFileName);
        HttpClient? api = null;
        await Eventually.TrueAsync(async () =>
        {
            if (portico.HasExited)
            {
                throw new InvalidOperationException($"Portico exited with {portico.ExitCode} before its admin API answered.");
            }

            if (!File.Exists(ca) || !File.Exists(client))
            {
                return false;
            }

            try
            {
                var handler = new SocketsHttpHandler();
                handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.For(ca);
                handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(client, Path.Combine(data, Portico.Certificates.DevelopmentCertificates.ClientKeyFileName))];
                var candidate = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
                candidate.DefaultRequestHeaders.Add("X-Qlik-Xrfkey", XrfKey);
                using var probe = await candidate.GetAsync($"qrs/virtualproxyconfig/count?xrfkey={XrfKey}");
                if (probe.StatusCode == HttpStatusCode.OK)
                {
                    api = candidate;
                    return true;
                }

                candidate.Dispose();
                return false;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Security.Cryptography.CryptographicException or IOException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "Portico's admin API to answer");
        return api!;
    }

    private static async Task<JsonObject> ProxyAsync(HttpClient api)
    {
        var all = JsonNode.Parse(await api.GetStringAsync($"qrs/virtualproxyconfig/full?xrfkey={XrfKey}"))!.AsArray();
        return all.Single(p => p!["prefix"]!.GetValue<string>() == "crash")!.AsObject();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient api, JsonObject entity, string description) =>
        api.PutAsync(
            $"qrs/virtualproxyconfig/{entity["id"]!.GetValue<string>()}?xrfkey={XrfKey}",
            new StringContent(new JsonObject { ["modifiedDate"] = entity["modifiedDate"]!.DeepClone(), ["description"] = description }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
}
