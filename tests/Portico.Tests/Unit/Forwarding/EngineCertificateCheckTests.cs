using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.Forwarding;
using Portico.Tests.Support;

namespace Portico.Tests.Unit.Forwarding;

/// <summary>Which engine certificates Portico talks to: only what the admin's settings positively trust.</summary>
public sealed class EngineCertificateCheckTests(QlikCertificateFixture files) : IClassFixture<QlikCertificateFixture>
{
    private QlikCertificateFiles Certificates => files.Certificates;

    [Fact]
    public void Refusal_EngineCertificateFromTheTrustedRoot_IsAccepted()
    {
        Assert.Null(EngineCertificateCheck.Refusal(RootOnly(), Certificates.Server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Refusal_CertificateOfAnotherCa_IsRefused()
    {
        var refusal = EngineCertificateCheck.Refusal(RootOnly(), Certificates.ImpostorClient, null, SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Contains("does not chain to trustedRootPath", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_TrustedRootButWrongHostName_IsRefused()
    {
        var refusal = EngineCertificateCheck.Refusal(RootOnly(), Certificates.Server, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.Contains("does not name the node's host", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_NoCertificate_IsRefused()
    {
        Assert.NotNull(EngineCertificateCheck.Refusal(RootOnly(), null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void Refusal_PinnedCertificate_IsAcceptedWhateverTheChainAndName()
    {
        var tls = new EngineTls(null, null, [Certificates.ServerSha256], acceptAny: false);

        Assert.Null(EngineCertificateCheck.Refusal(tls, Certificates.Server, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void Refusal_UnpinnedCertificate_IsRefusedEvenIfTheSystemTrustsIt()
    {
        var tls = new EngineTls(null, null, [Certificates.ServerSha256], acceptAny: false);

        var refusal = EngineCertificateCheck.Refusal(tls, Certificates.Client, null, SslPolicyErrors.None);

        Assert.Contains("is not in trustedServerThumbprints", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_PinAndRoot_BothMustHold()
    {
        var impostorPinned = new EngineTls(null, Roots(), [EngineCredentials.Sha256Thumbprint(Certificates.ImpostorClient)], acceptAny: false);

        Assert.NotNull(EngineCertificateCheck.Refusal(impostorPinned, Certificates.ImpostorClient, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None, true)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors, false)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch, false)]
    public void Refusal_NothingConfigured_LeavesItToTheSystemsValidation(SslPolicyErrors errors, bool accepted)
    {
        Assert.Equal(accepted, EngineCertificateCheck.Refusal(EngineTls.Default, Certificates.Server, null, errors) is null);
    }

    [Fact]
    public void Refusal_AcceptAnyWrittenByTheAdmin_AcceptsAnything()
    {
        var tls = new EngineTls(null, null, [], acceptAny: true);

        Assert.Null(EngineCertificateCheck.Refusal(tls, Certificates.ImpostorClient, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void Refusal_UnusableSettings_RefuseEvenWithAcceptAny()
    {
        var tls = new EngineTls(null, null, [], acceptAny: true, unusable: true);

        Assert.NotNull(EngineCertificateCheck.Refusal(tls, Certificates.Server, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Fingerprint_ChangesWithAnySetting()
    {
        var fingerprints = new[]
        {
            EngineTls.Default.Fingerprint,
            new EngineTls(Certificates.Client, null, [], false).Fingerprint,
            new EngineTls(null, Roots(), [], false).Fingerprint,
            new EngineTls(null, null, [Certificates.ServerSha256], false).Fingerprint,
            new EngineTls(null, null, [], true).Fingerprint,
            new EngineTls(null, null, [], false, unusable: true).Fingerprint,
        };

        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
        Assert.Equal(EngineTls.Default.Fingerprint, new EngineTls(null, null, [], false).Fingerprint);
    }

    private EngineTls RootOnly() => new(null, Roots(), [], acceptAny: false);

    private X509Certificate2Collection Roots() => [X509CertificateLoader.LoadCertificate(Certificates.Root.RawData)];
}
