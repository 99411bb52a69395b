using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Portico.Samples.Mashup;

// The mashup sample on its own, next to Portico started with samples/mashup/portico.json (see README.md).
// Settings: --Name=value on the command line or MASHUP_Name in the environment.
var settings = new ConfigurationBuilder().AddEnvironmentVariables("MASHUP_").AddCommandLine(args).Build();
var repository = FindRepository(AppContext.BaseDirectory);
string Setting(string name, string fallback) => settings[name] ?? fallback;

var porticoData = Setting("PorticoDataDirectory", Path.Combine(repository, "samples", "mashup", "data"));
var enigma = Setting("EnigmaDirectory", Path.Combine(repository, "tests", "clients", "node_modules", "enigma.js"));
var port = int.Parse(Setting("Port", "5443"), CultureInfo.InvariantCulture);
var options = new MashupOptions
{
    PorticoUrl = new Uri(Setting("PorticoUrl", "https://proxy.test:8443/")),
    QpsApiUrl = new Uri(Setting("QpsApiUrl", "https://localhost:4243/")),
    QpsClientCertificatePath = Path.Combine(porticoData, "portico-dev-client.pem"),
    QpsClientKeyPath = Path.Combine(porticoData, "portico-dev-client-key.pem"),
    PorticoCaPath = Path.Combine(porticoData, "portico-dev-ca.pem"),
    JwtPrivateKeyPem = File.ReadAllText(Setting("JwtPrivateKey", Path.Combine(repository, "samples", "jwt", "demo-jwt-private-key.pem"))),
    SiteDirectory = Path.Combine(repository, "samples", "mashup"),
    EnigmaScriptPath = Path.Combine(enigma, "enigma.min.js"),
    EnigmaSchemaPath = Path.Combine(enigma, "schemas", "12.2027.0.json"),
};

string[] hosts = ["mashup-a.test", "mashup-b.example", "evil.test"];
using var certificate = MashupCertificate.CreateSelfSigned(hosts);
await using var app = MashupBackEnd.Build(options, kestrel => kestrel.Listen(IPAddress.Loopback, port, o => o.UseHttps(certificate)));
await app.StartAsync();

var spki = new List<string> { MashupCertificate.SpkiHash(certificate) };
var porticoCertificate = Path.Combine(porticoData, "portico-dev-server.pem");
if (File.Exists(porticoCertificate))
{
    using var server = X509CertificateLoader.LoadCertificateFromFile(porticoCertificate);
    spki.Add(MashupCertificate.SpkiHash(server));
}

Console.WriteLine($"Mashup sample on {string.Join(", ", hosts.Select(h => $"https://{h}:{port}/"))}");
Console.WriteLine("Open it in a throw-away Chromium profile that maps the names to this machine and accepts both certificates:");
Console.WriteLine($"  chromium --user-data-dir=\"$(mktemp -d)\" --host-resolver-rules=\"{string.Join(", ", hosts.Prepend("proxy.test").Select(h => "MAP " + h + " 127.0.0.1"))}\" \\");
Console.WriteLine($"    --ignore-certificate-errors-spki-list={string.Join(',', spki)} https://mashup-a.test:{port}/");
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
