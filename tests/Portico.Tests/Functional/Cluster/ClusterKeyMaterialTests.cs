using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.Authentication.Saml;
using Portico.Cluster;
using Portico.Configuration;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// Key material in cluster mode: SAML's SP signing key is made once in the cluster database, so
/// every node publishes the same certificate in its SP metadata and signs requests the identity
/// provider can check with it, whichever node sends them.
/// </summary>
public sealed class ClusterKeyMaterialTests() : ClusterDatabaseTests("keys")
{
    [Fact]
    public async Task SamlSigningKey_TwoNodesOnOneDatabase_PublishTheSameCertificateAndVerifyEachOther()
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => Open("node-" + i))));
        using var first = SamlSigningKey.FromCluster(nodes[0]);
        using var second = SamlSigningKey.FromCluster(nodes[1]);

        // Both nodes ask at once on an empty key table: one key is made and both get it.
        var certificates = await Task.WhenAll(Task.Run(() => first.Certificate), Task.Run(() => second.Certificate));
        Assert.Equal(certificates[0].RawData, certificates[1].RawData);
        Assert.True(certificates[0].HasPrivateKey);

        // A request signed by one node checks against the certificate the other publishes.
        const string octets = "SAMLRequest=abc&RelayState=xyz&SigAlg=rsa-sha256";
        var signature = first.Sign(octets, SamlSigningAlgorithm.Sha256);
        using var published = second.Certificate.GetRSAPublicKey()!;
        Assert.True(published.VerifyData(System.Text.Encoding.ASCII.GetBytes(octets), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        // A node started later reads the same key.
        using var late = SamlSigningKey.FromCluster(Open("node-late"));
        Assert.Equal(certificates[0].RawData, late.Certificate.RawData);
    }
}
