using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Portico.Samples;

// The samples' back end on its own, next to Portico started with a samples/<method>/portico.json
// (see samples/README.md). Settings: --Name=value on the command line or SAMPLES_Name in the environment.
var settings = new ConfigurationBuilder().AddEnvironmentVariables("SAMPLES_").AddCommandLine(args).Build();
var repository = FindRepository(AppContext.BaseDirectory);
string Setting(string name, string fallback) => settings[name] ?? fallback;

var samples = Path.Combine(repository, "samples");
var porticoData = Setting("PorticoDataDirectory", Path.Combine(samples, "data"));
var port = int.Parse(Setting("Port", "5443"), CultureInfo.InvariantCulture);
var options = new SampleOptions
{
    PorticoUrl = new Uri(Setting("PorticoUrl", "https://proxy.test:8443/")),
    QpsApiUrl = new Uri(Setting("QpsApiUrl", "https://localhost:4243/")),
    QpsClientCertificatePath = Path.Combine(porticoData, "portico-dev-client.pem"),
    QpsClientKeyPath = Path.Combine(porticoData, "portico-dev-client-key.pem"),
    PorticoCaPath = Path.Combine(porticoData, "portico-dev-ca.pem"),
    JwtPrivateKeyPem = File.ReadAllText(Setting("JwtPrivateKey", Path.Combine(samples, "jwt", "demo-jwt-private-key.pem"))),
    FrontUrl = new Uri($"https://{SampleSites.Front}:{port}/"),
    SamplesDirectory = samples,
    PackagesDirectory = Path.Combine(samples, "node_modules"),
};

using var certificate = SampleCertificate.CreateSelfSigned(SampleSites.All);
await using var app = SampleBackEnd.Build(options, kestrel => kestrel.Listen(IPAddress.Loopback, port, o => o.UseHttps(certificate)));
await app.StartAsync();

var spki = new List<string> { SampleCertificate.SpkiHash(certificate) };
var porticoCertificate = Path.Combine(porticoData, "portico-dev-server.pem");
if (File.Exists(porticoCertificate))
{
    using var server = X509CertificateLoader.LoadCertificateFromFile(porticoCertificate);
    spki.Add(SampleCertificate.SpkiHash(server));
}

// samples/oidc's test provider (samples/run.sh oidc --page) serves its demo certificate on https://localhost:9443.
using (var provider = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(samples, "oidc", "demo-provider-certificate.pem")))
{
    spki.Add(SampleCertificate.SpkiHash(provider));
}

Console.WriteLine($"Samples on https://{SampleSites.MashupA}:{port}/ (and {string.Join(", ", SampleSites.All.Skip(1))})");
Console.WriteLine("Open them in a throw-away Chromium profile that maps the names to this machine and accepts these certificates:");
Console.WriteLine($"  chromium --user-data-dir=\"$(mktemp -d)\" --host-resolver-rules=\"{SampleSites.ResolverRules(options.PorticoUrl.Host)}\" \\");
Console.WriteLine($"    --ignore-certificate-errors-spki-list={string.Join(',', spki)} https://{SampleSites.MashupA}:{port}/");
await app.WaitForShutdownAsync();

static string FindRepository(string start)
{
    for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Portico.slnx")))
        {
            return directory.FullName;
        }
    }

    throw new DirectoryNotFoundException($"No Portico.slnx above '{start}'; run the sample from the repository.");
}
