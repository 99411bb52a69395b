using System.Text.Json;
using Portico.Configuration;
using Portico.Hosting;
using Portico.Listeners;

namespace Portico.Tests.Support;

/// <summary>
/// A real Portico on 127.0.0.1 with ports picked by the OS, its config written to a temporary file
/// (so hot reload can be exercised), and its log captured.
/// </summary>
public sealed class PorticoTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PorticoTestHost(WebApplication app, string directory, string configPath, TestLogSink logs)
    {
        _app = app;
        Directory = directory;
        ConfigPath = configPath;
        Logs = logs;
        var listeners = app.Services.GetRequiredService<BoundListeners>();
        HttpsPort = listeners.HttpsPort;
        HttpPort = listeners.HttpPort ?? 0;
        QpsApiPort = listeners.QpsApiPort ?? 0;
        CaPath = Path.Combine(directory, "data", Portico.Certificates.DevelopmentCertificates.CaFileName);
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public TestLogSink Logs { get; }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public int QpsApiPort { get; }

    public string DevelopmentClientCertificatePath => Path.Combine(Directory, "data", Portico.Certificates.DevelopmentCertificates.ClientFileName);

    public string DevelopmentClientKeyPath => Path.Combine(Directory, "data", Portico.Certificates.DevelopmentCertificates.ClientKeyFileName);

    public string DevelopmentCaKeyPath => Path.Combine(Directory, "data", Portico.Certificates.DevelopmentCertificates.CaKeyFileName);

    public IServiceProvider Services => _app.Services;

    public string CaPath { get; }

    public Uri BaseAddress => new($"https://localhost:{HttpsPort}/");

    internal ConfigSnapshotStore Snapshots => _app.Services.GetRequiredService<ConfigSnapshotStore>();

    /// <summary>
    /// <paramref name="config"/> with HTTPS and the admin (QRS) API on free loopback ports (and the
    /// ops listener when asked), the admin API trusting the development client certificate.
    /// </summary>
    public static PorticoConfig WithAdminApi(PorticoConfig config, bool ops = false) => config with
    {
        Listeners = new ListenersConfig
        {
            Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            Http = null,
            QpsApi = null,
            QrsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            Ops = ops ? new ListenerConfig { Address = "127.0.0.1", Port = 0 } : null,
        },
        QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
    };

    /// <summary>A config whose listeners are on 127.0.0.1 with free ports, for tests to extend.</summary>
    public static PorticoConfig BaseConfig(params VirtualProxyConfig[] virtualProxies) => new()
    {
        PublicHost = "localhost",
        Listeners = new ListenersConfig
        {
            Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            Http = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            QpsApi = null,
        },
        DataDirectory = "data",
        LoadBalancing = new LoadBalancingConfig { HealthCheckIntervalSeconds = 1, HealthCheckTimeoutSeconds = 1, ReactivationPeriodSeconds = 2 },
        VirtualProxies = virtualProxies,
    };

    public static VirtualProxyConfig AnonymousProxy(string prefix, params Uri[] engines) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session" + (prefix.Length == 0 ? "" : "-" + prefix),
        AnonymousAccessMode = AnonymousAccessMode.AlwaysAnonymous,
        LoadBalancingServerNodes = engines.Select(e => e.ToString().TrimEnd('/')).ToArray(),
    };

    public static async Task<PorticoTestHost> StartAsync(PorticoConfig config, TimeProvider? time = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "portico-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "portico.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, ConfigJson.Options));
        var loaded = ConfigLoader.LoadFile(configPath);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException("Test config is invalid: " + string.Join("; ", loaded.Errors));
        }

        var logs = new TestLogSink();
        var app = PorticoApplication.Build(loaded, new PorticoHostOptions
        {
            ConfigFilePath = configPath,
            Time = time ?? TimeProvider.System,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Debug);
            },
        });
        await app.StartAsync();
        return new PorticoTestHost(app, directory, configPath, logs);
    }

    public HttpClient CreateClient(bool allowRedirects = false, CookieContainerHolder? cookies = null)
    {
        var client = TlsTrust.HttpClient(CaPath, allowRedirects, cookies);
        client.BaseAddress = BaseAddress;
        return client;
    }

    /// <summary>Rewrites the config file and waits until Portico has swapped in the new snapshot.</summary>
    public async Task ReloadAsync(PorticoConfig config)
    {
        var before = Snapshots.Current.Version;
        await File.WriteAllTextAsync(ConfigPath, JsonSerializer.Serialize(config, ConfigJson.Options));
        await Eventually.TrueAsync(() => Snapshots.Current.Version > before, TimeSpan.FromSeconds(15), "the new configuration to become active");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
