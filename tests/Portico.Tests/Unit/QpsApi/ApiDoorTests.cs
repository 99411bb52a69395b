using Portico.QpsApi;

namespace Portico.Tests.Unit.QpsApi;

/// <summary>The door of the QPS and admin APIs: certificate first, then the xrfkey pair.</summary>
public sealed class ApiDoorTests(TestCertificates certificates) : IClassFixture<TestCertificates>
{
    private static readonly XrfKeyCheck GoodXrf = XrfKey.Check("abcdefghijklmnop", "abcdefghijklmnop");

    private ClientCertificatePolicy Policy => new([certificates.Authority], []);

    [Fact]
    public void NoCertificate_Is401_NamingTheApi()
    {
        var refusal = ApiDoor.Judge("The admin API", null, Policy, TestCertificates.Now, GoodXrf);

        Assert.Equal((401, "client_certificate_required"), (refusal!.Status, refusal.Code));
        Assert.StartsWith("The admin API requires a trusted client certificate", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntrustedCertificate_Is403_WithThePolicysReason_BeforeTheXrfKeyIsLookedAt()
    {
        var refusal = ApiDoor.Judge("The QPS API", certificates.ClientWithoutEku, Policy, TestCertificates.Now, XrfKey.Check(null, null));

        Assert.Equal((403, "client_certificate_not_trusted"), (refusal!.Status, refusal.Code));
        Assert.Contains("client authentication", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedCertificate_WithoutTheXrfPair_Is403_SayingHowToSendIt()
    {
        var refusal = ApiDoor.Judge("The QPS API", certificates.Client, Policy, TestCertificates.Now, XrfKey.Check("abcdefghijklmnop", null));

        Assert.Equal((403, "xrfkey"), (refusal!.Status, refusal.Code));
        Assert.Contains("X-Qlik-Xrfkey header", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedCertificate_WithTheXrfPair_Passes() =>
        Assert.Null(ApiDoor.Judge("The QPS API", certificates.Client, Policy, TestCertificates.Now, GoodXrf));
}
