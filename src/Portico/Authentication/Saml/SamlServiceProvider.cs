using Portico.Configuration;

namespace Portico.Authentication.Saml;

/// <summary>
/// A SAML virtual proxy as the request path uses it: Portico's own service provider addresses and
/// what it accepts from the identity provider. Built once per configuration snapshot.
/// </summary>
internal sealed record SamlServiceProvider
{
    /// <summary>Where Portico's SAML endpoints live under the virtual proxy.</summary>
    public const string PathPrefix = "/saml/";
    public const string AcsPath = "/saml/acs";
    public const string MetadataPath = "/saml/metadata";
    public const string SloPath = "/saml/slo";
    public const string LogoutPath = "/saml/logout";

    /// <summary>Clock difference allowed between Portico and the identity provider.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(2);

    public required string EntityId { get; init; }

    public required Uri AcsUrl { get; init; }

    public required Uri SloUrl { get; init; }

    public required IdpMetadata Idp { get; init; }

    public required SamlSigningAlgorithm WeakestAlgorithm { get; init; }

    /// <summary>Attribute holding the user id; null takes the NameID.</summary>
    public string? UserIdAttribute { get; init; }

    /// <summary>The attribute naming the directory, or (when <see cref="FixedUserDirectory"/> is set) null.</summary>
    public string? UserDirectoryAttribute { get; init; }

    public string? FixedUserDirectory { get; init; }

    public IReadOnlyList<SamlAttributeMapping> AttributeMap { get; init; } = [];

    public bool SingleLogout { get; init; }

    public TimeSpan ClockSkew { get; init; } = DefaultClockSkew;

    /// <returns>Null when the configuration does not describe a usable SAML virtual proxy (the config rules say why).</returns>
    public static SamlServiceProvider? FromConfig(VirtualProxyConfig config)
    {
        if (config.AuthenticationMethod != AuthenticationMethod.Saml
            || string.IsNullOrWhiteSpace(config.SamlEntityId)
            || HostUri(config.SamlHostUri) is not { } host
            || IdpMetadata.TryParse(config.SamlMetadataIdP, out _) is not { } idp
            || UserDirectory(config.SamlAttributeUserDirectory) is not { } directory)
        {
            return null;
        }

        var basePath = host.GetLeftPart(UriPartial.Authority) + (config.Prefix.Length == 0 ? "" : "/" + config.Prefix);
        return new SamlServiceProvider
        {
            EntityId = config.SamlEntityId,
            AcsUrl = new Uri(basePath + AcsPath),
            SloUrl = new Uri(basePath + SloPath),
            Idp = idp,
            WeakestAlgorithm = config.SamlAttributeSigningAlgorithm,
            UserIdAttribute = string.IsNullOrWhiteSpace(config.SamlAttributeUserId) ? null : config.SamlAttributeUserId,
            UserDirectoryAttribute = directory.Attribute,
            FixedUserDirectory = directory.Fixed,
            AttributeMap = config.SamlAttributeMap,
            SingleLogout = config.SamlSlo,
        };
    }

    /// <summary>Qlik's samlHostUri: an absolute https address of the server, without path, query or fragment.</summary>
    public static Uri? HostUri(string? value) =>
        Uri.TryCreate(value?.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme == "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : null;

    /// <summary>Qlik's samlAttributeUserDirectory: an attribute name, or a fixed directory in brackets ("[CORP]").</summary>
    public static (string? Attribute, string? Fixed)? UserDirectory(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            return value.Length > 2 ? (null, value[1..^1]) : null;
        }

        return (value, null);
    }
}
