using System.Net;

namespace Portico.BrowserTests;

/// <summary>
/// The samples' back end serves the pages, their scripts and the client libraries' JavaScript, and
/// nothing else from the folders it serves them from: no Portico config (an OIDC sample's may hold a
/// client secret), no key, no data directory, no source, whatever the path's spelling.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class SampleBackEndFilesTests(MashupEnvironment environment)
{
    [Theory]
    [InlineData("", "text/html")]
    [InlineData("jwt/", "text/html")]
    [InlineData("header/", "text/html")]
    [InlineData("jwt/page.js", "text/javascript")]
    [InlineData("jwt/nebula.html", "text/html")]
    [InlineData("shared/flow.js", "text/javascript")]
    [InlineData("shared/page.css", "text/css")]
    [InlineData("lib/enigma.min.js", "text/javascript")]
    [InlineData("lib/node_modules/@qlik/api/qix.js", "text/javascript")]
    public async Task PageFiles_AreServed(string path, string contentType)
    {
        using var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("jwt/portico.json")]
    [InlineData("jwt/demo-jwt-private-key.pem")]
    [InlineData("jwt/README.md")]
    [InlineData("jwt/jwt.mjs")]
    [InlineData("shared/")]
    [InlineData("shared/Program.cs")]
    [InlineData("shared/node/flow.mjs")]
    [InlineData("data/portico-dev-ca-key.pem")]
    [InlineData("node_modules/ws/package.json")]
    [InlineData("lib/node_modules/ws/package.json")]
    [InlineData("lib/node_modules/%2e%2e/shared/SampleBackEnd.cs")]
    [InlineData("lib/node_modules/..%2f..%2fshared/web/flow.js")]
    [InlineData("jwt/..%2fshared%2fProgram.cs")]
    [InlineData("JWT/page.js")]
    public async Task EverythingElse_IsNotFound(string path)
    {
        using var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        var expected = environment.SitesCertificate.GetCertHash();
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHash().AsSpan().SequenceEqual(expected);
        using var client = new HttpClient(handler);
        return await client.GetAsync(new Uri($"https://127.0.0.1:{environment.MashupPort}/{path}"));
    }
}
