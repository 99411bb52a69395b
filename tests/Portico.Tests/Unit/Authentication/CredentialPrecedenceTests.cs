using Portico.Authentication;
using Portico.Configuration;

namespace Portico.Tests.Unit.Authentication;

public sealed class CredentialPrecedenceTests
{
    private const AnonymousAccessMode None = AnonymousAccessMode.NoAnonymousUser;
    private const AnonymousAccessMode Allow = AnonymousAccessMode.AllowAnonymous;
    private const AnonymousAccessMode Always = AnonymousAccessMode.AlwaysAnonymous;

    [Theory]
    // anonymous mode, bearer, ticket, header, cookie, forceAuthentication => first, otherwise
    [InlineData(None, false, false, false, false, false, "None", "None")]
    [InlineData(None, false, false, false, true, false, "SessionCookie", "None")]
    [InlineData(None, true, false, false, false, false, "Bearer", "None")]
    [InlineData(None, true, false, false, true, false, "Bearer", "None")]
    [InlineData(None, true, true, true, true, false, "Bearer", "None")]
    [InlineData(None, false, true, false, true, false, "Ticket", "None")]
    [InlineData(None, false, true, true, false, false, "Ticket", "None")]
    [InlineData(None, false, false, true, true, false, "Header", "None")]
    [InlineData(Allow, false, false, false, false, false, "Anonymous", "None")]
    [InlineData(Allow, false, false, false, true, false, "SessionCookie", "Anonymous")]
    [InlineData(Allow, false, false, false, false, true, "None", "None")]
    [InlineData(Allow, false, false, false, true, true, "SessionCookie", "None")]
    [InlineData(Allow, true, false, false, true, false, "Bearer", "None")]
    [InlineData(Allow, false, false, true, false, false, "Header", "None")]
    [InlineData(Always, false, false, false, false, false, "Anonymous", "None")]
    [InlineData(Always, false, false, false, true, false, "SessionCookie", "Anonymous")]
    [InlineData(Always, true, true, true, false, true, "Anonymous", "None")]
    [InlineData(Always, true, true, true, true, true, "SessionCookie", "Anonymous")]
    public void Choose_Table(AnonymousAccessMode anonymous, bool bearer, bool ticket, bool header, bool cookie, bool force, string first, string otherwise)
    {
        var plan = CredentialPrecedence.Choose(new PresentedCredentials(anonymous, bearer, ticket, header, cookie, force));

        Assert.Equal(first, plan.First.ToString());
        Assert.Equal(otherwise, plan.Otherwise.ToString());
    }

    [Fact]
    public void Choose_ExplicitCredentialNeverFallsBack()
    {
        // A refused bearer, ticket or header is a refusal: no cookie or anonymous session stands in for it.
        foreach (var (bearer, ticket, header) in new[] { (true, false, false), (false, true, false), (false, false, true) })
        {
            var plan = CredentialPrecedence.Choose(new PresentedCredentials(Allow, bearer, ticket, header, Cookie: true, ForcesAuthentication: false));
            Assert.Equal(CredentialKind.None, plan.Otherwise);
        }
    }
}
