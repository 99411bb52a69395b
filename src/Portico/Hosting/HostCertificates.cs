using System.Security.Cryptography.X509Certificates;
using Portico.Certificates;

namespace Portico.Hosting;

/// <summary>The server certificate in use, and the generated development files when there are any.</summary>
internal sealed record HostCertificates(X509Certificate2 Server, DevelopmentCertificates? Development);
