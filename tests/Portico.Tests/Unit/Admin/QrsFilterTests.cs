using System.Text.Json.Nodes;
using Portico.Admin;

namespace Portico.Tests.Unit.Admin;

public sealed class QrsFilterTests
{
    private static readonly JsonObject Entity = new()
    {
        ["id"] = "8a2b7c1e-0000-4000-8000-000000000001",
        ["prefix"] = "sales",
        ["description"] = "Sales team's proxy",
        ["authenticationMethod"] = 4,
        ["hasSecureAttributeHttps"] = true,
        ["sessionCookieDomain"] = null,
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("prefix eq 'sales'", true)]
    [InlineData("prefix eq 'SALES'", true)]
    [InlineData("prefix ne 'sales'", false)]
    [InlineData("prefix eq 'hr'", false)]
    [InlineData("description so 'team''s'", true)]
    [InlineData("prefix sw 'sa' and prefix ew 'es'", true)]
    [InlineData("authenticationMethod eq 4", true)]
    [InlineData("authenticationMethod gt 4 or authenticationMethod lt 1", false)]
    [InlineData("authenticationMethod ge 4 and authenticationMethod le 4", true)]
    [InlineData("hasSecureAttributeHttps eq true", true)]
    [InlineData("sessionCookieDomain eq null", true)]
    [InlineData("not (prefix eq 'sales')", false)]
    [InlineData("(prefix eq 'hr' or prefix eq 'sales') and id eq 8a2b7c1e-0000-4000-8000-000000000001", true)]
    [InlineData("nosuchfield eq 'x'", false)]
    [InlineData("nosuchfield ne 'x'", true)]
    public void Matches_CommonQrsFilters(string filter, bool expected)
    {
        var parsed = QrsFilter.TryParse(filter, out var error);

        Assert.Null(error);
        Assert.Equal(expected, parsed!.Matches(Entity));
    }

    [Theory]
    [InlineData("prefix zz 'x'", "not an operator")]
    [InlineData("prefix eq 'x", "closing quote")]
    [InlineData("(prefix eq 'x'", ")")]
    [InlineData("prefix eq 'x' y", "unexpected")]
    [InlineData("prefix eq sales", "quote strings")]
    public void TryParse_Malformed_SaysWhy(string filter, string because)
    {
        Assert.Null(QrsFilter.TryParse(filter, out var error));
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeepOrLongFilters_AreRefused()
    {
        Assert.Null(QrsFilter.TryParse(new string('(', 40) + "prefix eq 'x'" + new string(')', 40), out var deep));
        Assert.Contains("nests", deep, StringComparison.Ordinal);
        Assert.Null(QrsFilter.TryParse("prefix eq '" + new string('x', QrsFilter.MaxLength) + "'", out var longer));
        Assert.Contains("longer", longer, StringComparison.Ordinal);
    }
}
