using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Tests.Unit.QpsApi;

/// <summary>A small PKI made once per test class: a CA, certificates it signed, and impostors.</summary>
public sealed class TestCertificates : IDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private static readonly DateTimeOffset LongAgo = Now.AddYears(-1);
    private static readonly DateTimeOffset FarAhead = Now.AddYears(2);

    private readonly List<X509Certificate2> _all = [];
    private int _serial;

    public TestCertificates()
    {
        Authority = MakeAuthority("CN=Portico Test CA, O=Portico");
        Client = Signed(Authority, "CN=login-module", [ClientAuth]);
        ClientWithoutEku = Signed(Authority, "CN=legacy-module", eku: null);
        ClientWithServerAndClientEku = Signed(Authority, "CN=dual-module", [ServerAuth, ClientAuth]);
        ServerOnly = Signed(Authority, "CN=qlik.example.com", [ServerAuth]);
        Expired = Signed(Authority, "CN=login-module", [ClientAuth], LongAgo, Now.AddDays(-1));
        NotYetValid = Signed(Authority, "CN=login-module", [ClientAuth], Now.AddDays(1), FarAhead);
        SelfSignedImpostor = SelfSigned("CN=login-module", [ClientAuth]);
        var impostorAuthority = MakeAuthority("CN=Portico Test CA, O=Portico");
        SignedByImpostorAuthority = Signed(impostorAuthority, "CN=login-module", [ClientAuth]);
        Pinned = SelfSigned("CN=pinned-module", [ClientAuth]);
        PinnedExpired = SelfSigned("CN=pinned-module", [ClientAuth], LongAgo, Now.AddSeconds(-1));
        PinnedServerOnly = SelfSigned("CN=pinned-server", [ServerAuth]);
        PinnedWithoutEku = SelfSigned("CN=pinned-legacy", eku: null);
        AuthorityWithClientEku = MakeAuthority("CN=Client-Capable CA", eku: [ClientAuth]);
        ExpiredAuthority = MakeAuthority("CN=Expired CA", LongAgo, Now.AddDays(-1));
        SignedByExpiredAuthority = SignedRegardlessOfIssuerValidity(ExpiredAuthority, "CN=login-module", [ClientAuth]);
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 ClientWithoutEku { get; }

    public X509Certificate2 ClientWithServerAndClientEku { get; }

    public X509Certificate2 ServerOnly { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 NotYetValid { get; }

    public X509Certificate2 SelfSignedImpostor { get; }

    public X509Certificate2 SignedByImpostorAuthority { get; }

    public X509Certificate2 Pinned { get; }

    public X509Certificate2 PinnedExpired { get; }

    public X509Certificate2 PinnedServerOnly { get; }

    public X509Certificate2 PinnedWithoutEku { get; }

    /// <summary>A self-signed CA that also names client authentication: still a CA, never a client.</summary>
    public X509Certificate2 AuthorityWithClientEku { get; }

    public X509Certificate2 ExpiredAuthority { get; }

    public X509Certificate2 SignedByExpiredAuthority { get; }

    public void Dispose() => _all.ForEach(certificate => certificate.Dispose());

    private X509Certificate2 MakeAuthority(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string[]? eku = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (eku is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(Oids(eku), false));
        }

        return Keep(request.CreateSelfSigned(notBefore ?? LongAgo, notAfter ?? FarAhead));
    }

    private X509Certificate2 Signed(X509Certificate2 issuer, string subject, string[]? eku, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(subject, key, eku);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        return Keep(request.Create(issuer, notBefore ?? LongAgo, notAfter ?? FarAhead, serial));
    }

    /// <summary>CertificateRequest.Create refuses a leaf that outlives its issuer; a signature generator does not.</summary>
    private X509Certificate2 SignedRegardlessOfIssuerValidity(X509Certificate2 issuer, string subject, string[] eku)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        var request = LeafRequest(subject, key, eku);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        return Keep(request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), LongAgo, FarAhead, serial));
    }

    private X509Certificate2 SelfSigned(string subject, string[]? eku, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Keep(LeafRequest(subject, key, eku).CreateSelfSigned(notBefore ?? LongAgo, notAfter ?? FarAhead));
    }

    private static CertificateRequest LeafRequest(string subject, ECDsa key, string[]? eku)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (eku is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(Oids(eku), false));
        }

        return request;
    }

    private static OidCollection Oids(string[] values)
    {
        var oids = new OidCollection();
        foreach (var value in values)
        {
            oids.Add(new Oid(value));
        }

        return oids;
    }

    private X509Certificate2 Keep(X509Certificate2 certificate)
    {
        _all.Add(certificate);
        return certificate;
    }
}
