namespace Portico.Authentication;

internal sealed class AuthenticatedUserFeature(AuthenticatedUser user)
{
    public AuthenticatedUser User { get; } = user;
}
