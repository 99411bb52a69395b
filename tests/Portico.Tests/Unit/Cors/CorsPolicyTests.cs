using Portico.Cors;
using Portico.ResponseHeaders;

namespace Portico.Tests.Unit.Cors;

/// <summary>The header values a virtual proxy sends to allowed origins, computed once from its allow list and the admin's Access-Control-* lines.</summary>
public sealed class CorsPolicyTests
{
    private static readonly OriginAllowList AllowList = OriginAllowList.TryCreate(["https://a.test"], out _)!;

    private static CorsPolicy Policy(string adminLines) =>
        new(AllowList, CorsHeaderLines.Extract(AdditionalHeaderParser.Parse(adminLines).Lines));

    private static string[] Items(Microsoft.Extensions.Primitives.StringValues value)
    {
        Assert.Single(value.ToArray());
        return value.ToString().Split(',', StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void ExposeHeaders_WithoutAdminLines_IsTheCsrfTokenHeader()
    {
        Assert.Equal(["qlik-csrf-token"], Items(new CorsPolicy(AllowList).ExposeHeaders));
    }

    [Fact]
    public void ExposeHeaders_AdminLinesRepeatingTheTokenHeader_ListItOnce()
    {
        var policy = Policy("Access-Control-Expose-Headers: qlik-csrf-token\nAccess-Control-Expose-Headers: QLIK-CSRF-TOKEN, X-Request-Id");

        Assert.Equal(["qlik-csrf-token", "X-Request-Id"], Items(policy.ExposeHeaders));
    }

    [Fact]
    public void AllowMethodsAndHeaders_AdminExtras_AreMergedWithTheDefaultsWithoutDuplicates()
    {
        var policy = Policy("Access-Control-Allow-Methods: post, PROPFIND\nAccess-Control-Allow-Headers: qlik-csrf-token, X-Custom");

        var methods = Items(policy.AllowMethods);
        Assert.Equal(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"], methods);
        var headers = Items(policy.AllowHeaders);
        Assert.Single(headers, h => h.Equals("qlik-csrf-token", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("X-Custom", headers);
        Assert.Contains("Content-Type", headers);
        Assert.Contains("Authorization", headers);
    }

    [Theory]
    [InlineData("qlik-api-version")]
    [InlineData("qlik-web-integration-id")]
    [InlineData("X-Qlik-Xrfkey")]
    [InlineData("qlik-csrf-token")]
    public void AllowHeaders_WhatQliksClientsSend_AreAllowedByDefault(string header)
    {
        var policy = new CorsPolicy(OriginAllowList.Empty);

        Assert.Contains(header, Items(policy.AllowHeaders));
    }

    [Fact]
    public void MaxAge_DefaultIsAnHourAndWithinTheBrowserCap()
    {
        var maxAge = int.Parse(new CorsPolicy(AllowList).MaxAge.ToString(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(3600, maxAge);
        Assert.True(maxAge <= CorsHeaderLines.MaxAgeLimitSeconds);
    }

    [Fact]
    public void MaxAge_AdminLine_IsUsed()
    {
        Assert.Equal("600", Policy("Access-Control-Max-Age: 600").MaxAge.ToString());
    }

    [Fact]
    public void IsEnabled_OnlyWithAllowListEntries()
    {
        Assert.True(new CorsPolicy(AllowList).IsEnabled);
        Assert.False(new CorsPolicy(OriginAllowList.Empty).IsEnabled);
    }
}
