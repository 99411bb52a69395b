using Portico.Configuration;
using Portico.DemoEngine.Landing;

namespace Portico.Hosting;

/// <summary>
/// What the demo engine's landing page says about Portico: the virtual proxies of the running
/// configuration (read at each visit, so a reload shows), where Portico is, and the CA to trust.
/// </summary>
internal static class DemoLandingPage
{
    public static LandingPageContent From(ConfigSnapshot snapshot, string? developmentCaPath) => new()
    {
        PublicBaseUrl = "https://" + snapshot.Config.PublicHost,
        CaPath = developmentCaPath,
        VirtualProxies = [.. snapshot.VirtualProxies.All.Select(vp => new LandingVirtualProxy(
            vp.Prefix,
            vp.Config.Description,
            vp.Config.AnonymousAccessMode == AnonymousAccessMode.NoAnonymousUser ? vp.Config.AuthenticationMethod.ToString() : "anonymous"))],
    };
}
