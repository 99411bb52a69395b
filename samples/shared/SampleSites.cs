namespace Portico.Samples;

/// <summary>
/// The host names the samples are served on (all of them this one back end, on 127.0.0.1). Each
/// sample's Portico config allows two of them; <see cref="Stranger"/> is allowed by none.
/// </summary>
public static class SampleSites
{
    /// <summary>Mashup sites on other sites than Portico's (anonymous, ticket, header, JWT).</summary>
    public const string MashupA = "mashup-a.test";

    /// <inheritdoc cref="MashupA"/>
    public const string MashupB = "mashup-b.example";

    /// <summary>A site no virtual proxy lists: it must get no token, no socket and no data.</summary>
    public const string Stranger = "evil.test";

    /// <summary>The trusted front of samples/header, on a site of its own.</summary>
    public const string Front = "front.test";

    /// <summary>
    /// The session API sample's sites: other origins, but under Portico's domain (proxy.test), so the
    /// back end can set Portico's session cookie for it.
    /// </summary>
    public const string SessionApiA = "app.proxy.test";

    /// <inheritdoc cref="SessionApiA"/>
    public const string SessionApiB = "reports.proxy.test";

    public static IReadOnlyList<string> All { get; } = [MashupA, MashupB, Stranger, Front, SessionApiA, SessionApiB];

    /// <summary>Chromium's <c>--host-resolver-rules</c> sending Portico's host and every site to 127.0.0.1.</summary>
    public static string ResolverRules(string porticoHost) =>
        string.Join(", ", All.Prepend(porticoHost).Select(host => $"MAP {host} 127.0.0.1"));
}
