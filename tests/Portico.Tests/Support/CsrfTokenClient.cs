namespace Portico.Tests.Support;

public static class CsrfTokenClient
{
    /// <summary>Qlik's token endpoint, called with whatever credential the client carries.</summary>
    public static async Task<string> CsrfTokenAsync(this HttpClient client, string pathBase, Action<HttpRequestMessage>? addCredential = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathBase.TrimEnd('/') + "/qps/csrftoken");
        addCredential?.Invoke(request);
        var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        return response.Headers.GetValues("qlik-csrf-token").Single();
    }
}
