using System.Net;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Does what a mashup page does before it opens a socket to Portico: one page request on the
/// virtual proxy (an anonymous login: session and engine-affinity cookies), then the CSRF token
/// when Portico offers the endpoint. Cookies are handled by hand so one pooled client serves
/// thousands of independent "browsers".
/// </summary>
internal sealed class PorticoLogin(HttpClient http, Uri virtualProxyBase, string origin)
{
    public const string CsrfHeader = "qlik-csrf-token";

    public async Task<Credentials> LoginAsync(CancellationToken cancellationToken)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var page = await SendAsync(new Uri(virtualProxyBase + "/"), cookies, cancellationToken))
        {
            if (!page.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"login page answered {(int)page.StatusCode}");
            }
        }

        // The endpoint is newer than some Portico builds: 404 means "no token to send".
        string? token = null;
        using (var csrf = await SendAsync(new Uri(virtualProxyBase + "/qps/csrftoken"), cookies, cancellationToken))
        {
            if (csrf.StatusCode == HttpStatusCode.NoContent && csrf.Headers.TryGetValues(CsrfHeader, out var values))
            {
                token = values.FirstOrDefault();
            }
        }

        return new Credentials(CookieHeader(cookies), token);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, Dictionary<string, string> cookies, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        if (CookieHeader(cookies) is { } header)
        {
            request.Headers.TryAddWithoutValidation("Cookie", header);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    cookies[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
                }
            }
        }

        return response;
    }

    private static string? CookieHeader(Dictionary<string, string> cookies) =>
        cookies.Count == 0 ? null : string.Join("; ", cookies.Select(c => c.Key + "=" + c.Value));
}
