using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.QpsApi;

namespace Portico.Tests.Unit.QpsApi;

public sealed class ClientCertificatePolicyTests(TestCertificates certificates) : IClassFixture<TestCertificates>
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;

    private ClientCertificatePolicy TrustingAuthority(params string[] thumbprints) =>
        new([certificates.Authority], thumbprints);

    [Fact]
    public void Evaluate_NoCertificate_Denied()
    {
        var decision = TrustingAuthority().Evaluate(null, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("no client certificate", decision.Reason);
    }

    [Fact]
    public void Evaluate_ClientCertificateSignedByTrustedAuthority_Allowed()
    {
        var decision = TrustingAuthority().Evaluate(certificates.Client, Now);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Fact]
    public void Evaluate_SignedByTrustedAuthorityWithoutEku_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.ClientWithoutEku, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("client authentication", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TrustedAuthorityPresentedAsClientCertificate_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.Authority, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("certificate authority", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TrustedAuthorityWithClientAuthenticationEku_Denied()
    {
        var policy = new ClientCertificatePolicy([certificates.AuthorityWithClientEku], []);

        var decision = policy.Evaluate(certificates.AuthorityWithClientEku, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("cA=true", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ListedThumbprintOfAnAuthority_Denied()
    {
        var policy = new ClientCertificatePolicy(null, [certificates.AuthorityWithClientEku.Thumbprint, certificates.Authority.Thumbprint]);

        Assert.False(policy.Evaluate(certificates.AuthorityWithClientEku, Now).Allowed);
        Assert.False(policy.Evaluate(certificates.Authority, Now).Allowed);
    }

    [Fact]
    public void Evaluate_ListedThumbprintWithoutEku_Denied()
    {
        var policy = new ClientCertificatePolicy(null, [certificates.PinnedWithoutEku.Thumbprint]);

        var decision = policy.Evaluate(certificates.PinnedWithoutEku, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("client authentication", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EkuListsServerAndClientAuthentication_Allowed()
    {
        Assert.True(TrustingAuthority().Evaluate(certificates.ClientWithServerAndClientEku, Now).Allowed);
    }

    [Fact]
    public void Evaluate_SameCertificateTwice_AllowedBothTimes()
    {
        var policy = TrustingAuthority();

        Assert.True(policy.Evaluate(certificates.Client, Now).Allowed);
        Assert.True(policy.Evaluate(certificates.Client, Now).Allowed);
        Assert.True(policy.Evaluate(certificates.ClientWithServerAndClientEku, Now).Allowed);
    }

    [Fact]
    public void Evaluate_SelfSignedImpostorWithSameSubject_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.SelfSignedImpostor, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("does not chain to a trusted certificate authority", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SignedByImpostorAuthorityWithSameName_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.SignedByImpostorAuthority, Now);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_ExpiredCertificate_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.Expired, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("client certificate has expired", decision.Reason);
    }

    [Fact]
    public void Evaluate_NotYetValidCertificate_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.NotYetValid, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("client certificate is not yet valid", decision.Reason);
    }

    [Fact]
    public void Evaluate_ValidCertificateEvaluatedAfterItsExpiry_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.Client, Now.AddYears(3));

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_AuthorityExpired_Denied()
    {
        var expiredAuthorityOnly = new ClientCertificatePolicy([certificates.ExpiredAuthority], []);

        Assert.False(expiredAuthorityOnly.Evaluate(certificates.SignedByExpiredAuthority, Now).Allowed);
    }

    [Fact]
    public void Evaluate_ServerAuthenticationOnlyEku_Denied()
    {
        var decision = TrustingAuthority().Evaluate(certificates.ServerOnly, Now);

        Assert.False(decision.Allowed);
        Assert.Contains("client authentication", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoAuthoritiesAndNothingListed_Denied()
    {
        var decision = new ClientCertificatePolicy(null, null).Evaluate(certificates.Client, Now);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_AuthorityItselfNotConfigured_ClientDenied()
    {
        var decision = new ClientCertificatePolicy([certificates.Pinned], []).Evaluate(certificates.Client, Now);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Evaluate_SelfSignedWithSha256ThumbprintListed_Allowed()
    {
        var sha256 = certificates.Pinned.GetCertHashString(HashAlgorithmName.SHA256);

        var decision = new ClientCertificatePolicy(null, [sha256]).Evaluate(certificates.Pinned, Now);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Equal("thumbprint is listed", decision.Reason);
    }

    [Fact]
    public void Evaluate_SelfSignedWithSha1ThumbprintListed_Allowed()
    {
        var decision = new ClientCertificatePolicy(null, [certificates.Pinned.Thumbprint]).Evaluate(certificates.Pinned, Now);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Fact]
    public void Evaluate_ThumbprintListedInLowerCaseWithSpacesAndDirectionMark_Allowed()
    {
        var hex = certificates.Pinned.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
        var spaced = "\u200E" + string.Join(' ', hex.Chunk(2).Select(pair => new string(pair))) + " ";

        Assert.True(new ClientCertificatePolicy(null, [spaced]).Evaluate(certificates.Pinned, Now).Allowed);
    }

    [Fact]
    public void Evaluate_OtherThumbprintListed_SelfSignedDenied()
    {
        var policy = new ClientCertificatePolicy(null, [certificates.Pinned.Thumbprint]);

        Assert.False(policy.Evaluate(certificates.SelfSignedImpostor, Now).Allowed);
    }

    [Fact]
    public void Evaluate_ListedThumbprintButExpired_Denied()
    {
        var policy = new ClientCertificatePolicy(null, [certificates.PinnedExpired.Thumbprint]);

        var decision = policy.Evaluate(certificates.PinnedExpired, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("client certificate has expired", decision.Reason);
    }

    [Fact]
    public void Evaluate_ListedThumbprintButServerOnlyEku_Denied()
    {
        var policy = new ClientCertificatePolicy(null, [certificates.PinnedServerOnly.Thumbprint]);

        Assert.False(policy.Evaluate(certificates.PinnedServerOnly, Now).Allowed);
    }

    [Fact]
    public void Evaluate_DisposedCertificate_FailsClosed()
    {
        var disposed = X509CertificateLoader.LoadCertificate(certificates.Client.RawData);
        disposed.Dispose();

        var decision = TrustingAuthority().Evaluate(disposed, Now);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Constructor_CallerChangesItsCollectionAfterwards_PolicyUnaffected()
    {
        var authorities = new X509Certificate2Collection();
        var policy = new ClientCertificatePolicy(authorities, []);

        authorities.Add(certificates.Authority);

        Assert.False(policy.Evaluate(certificates.Client, Now).Allowed);
    }

    [Theory]
    [InlineData("not hex at all")]
    [InlineData("ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0123456")]
    [InlineData("0123456789abcdef0123456789abcdef012345678")]
    [InlineData("g123456789abcdef0123456789abcdef01234567")]
    public void Constructor_InvalidThumbprint_Throws(string thumbprint)
    {
        Assert.Throws<ArgumentException>(() => new ClientCertificatePolicy(null, [thumbprint]));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", "0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67", "0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData(" 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef ", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    public void NormalizeThumbprint_AcceptedSpellings_UppercaseHex(string thumbprint, string expected)
    {
        Assert.Equal(expected, ClientCertificatePolicy.NormalizeThumbprint(thumbprint));
    }
}
