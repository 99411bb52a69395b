using System.Net;
using System.Text;

namespace Portico.DemoEngine.Landing;

/// <summary>
/// Renders the landing page: plain HTML with no script, style or external resource, every value
/// HTML-escaped (descriptions are free text from a configuration file).
/// </summary>
internal static class LandingPageHtml
{
    public static string Render(LandingPageContent content, string nodeName, IEnumerable<string> apps)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Portico demo</title>\n</head>\n<body>\n");
        html.Append("<h1>Portico demo</h1>\n");
        html.Append("<p>This page comes from the demo engine (node ").Append(E(nodeName)).Append("), reached through Portico at ")
            .Append(E(content.PublicBaseUrl)).Append(". Portico forwards this address to the engines of the virtual proxy, as it does for any real engine.</p>\n");

        html.Append("<h2>What runs</h2>\n<ul>\n");
        html.Append("<li>Portico, the virtual proxy: ").Append(E(content.PublicBaseUrl)).Append("/</li>\n");
        html.Append("<li>The demo engine, with the apps ").Append(E(string.Join(", ", apps))).Append("</li>\n");
        if (content.CaPath is { } ca)
        {
            html.Append("<li>Clients trust Portico's development CA: <code>").Append(E(ca)).Append("</code></li>\n");
        }

        html.Append("</ul>\n");

        html.Append("<h2>Virtual proxies</h2>\n<table>\n<tr><th>URL</th><th>Access</th><th>Description</th><th>Try</th></tr>\n");
        foreach (var vp in content.VirtualProxies)
        {
            var path = vp.Prefix.Length == 0 ? "" : "/" + Uri.EscapeDataString(vp.Prefix);
            html.Append("<tr><td><code>").Append(E($"{content.PublicBaseUrl}{path}/")).Append("</code></td>")
                .Append("<td>").Append(E(vp.Access)).Append("</td>")
                .Append("<td>").Append(E(vp.Description)).Append("</td>")
                .Append("<td><a href=\"").Append(E($"{path}/qps/user")).Append("\">who am I</a> · ")
                .Append("<a href=\"").Append(E($"{path}/portico-demo/echo")).Append("\">what the engine receives</a></td></tr>\n");
        }

        html.Append("</table>\n");

        var socket = new UriBuilder(content.PublicBaseUrl) { Scheme = "wss", Path = "/app/engineData" }.Uri.ToString();
        html.Append("<h2>Connect</h2>\n<p>enigma.js opens the engine WebSocket <code>").Append(E(socket))
            .Append("</code> (with a virtual proxy's prefix before <code>/app</code> for the others); the README has a snippet that runs as written.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
