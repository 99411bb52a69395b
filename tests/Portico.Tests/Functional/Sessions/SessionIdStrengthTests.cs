using System.Net;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// docs/security.md "Sessions and cookies": session ids carry at least 128 bits from a CSPRNG. A black-box
/// test cannot prove where the bits come from, but it can refuse short ids, ids from a small
/// alphabet, repeats, and the shared prefixes that counters and timestamps leave.
/// </summary>
public sealed class SessionIdStrengthTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    /// <summary>256 random bits in base64url without padding.</summary>
    private const int IssuedLength = 43;

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private SessionsHost Host => fixture.Host;

    [Fact]
    public async Task AnonymousLogins_TwoHundred_IssueDistinctUnrelatedIdsOfAtLeast128Bits()
    {
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await Host.EchoAsync("anon", sessionId: null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(SetCookieHeader.Single(response, SessionsHost.CookieName("anon")).Value);
        }

        AssertStrong(ids);
    }

    [Fact]
    public async Task SessionApi_GeneratedIds_AreDistinctUnrelatedAndAtLeast128Bits()
    {
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            // A user each, so the per-user session limit ends none of them.
            ids.Add(await Host.Api.CreateSessionIdAsync("app", "CORP", $"user{i}"));
        }

        AssertStrong(ids);
        foreach (var id in ids.Take(5))
        {
            Assert.Equal(HttpStatusCode.OK, await Host.EchoStatusAsync("app", id));
        }
    }

    private static void AssertStrong(List<string> ids)
    {
        Assert.All(ids, id =>
        {
            Assert.True(id.Length >= IssuedLength, $"id of {id.Length} characters: {id}");
            Assert.True(id.All(Base64UrlAlphabet.Contains), $"id outside base64url: {id}");
        });
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // Bits per id, estimated from the alphabet the ids actually use: hex or digits-only ids would
        // need far more characters to reach 128 bits.
        var alphabet = ids.SelectMany(id => id).Distinct().Count();
        var bits = ids.Min(id => id.Length) * Math.Log2(alphabet);
        Assert.True(bits >= 128, $"about {bits:F0} bits per id ({alphabet} distinct characters)");

        // Counters and timestamps show up as shared leading characters; 48 random bits practically never collide in a few hundred ids.
        var prefixes = ids.GroupBy(id => id[..8], StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(prefixes.Count == 0, "ids share leading characters: " + string.Join(", ", prefixes));
    }
}
