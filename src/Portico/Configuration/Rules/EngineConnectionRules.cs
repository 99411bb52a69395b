using Portico.Forwarding;

namespace Portico.Configuration.Rules;

/// <summary>
/// Engine connection settings, global and per virtual proxy: the files they name must load (the
/// client certificate with its own key, valid now and allowed for client authentication), the
/// thumbprints must be SHA-256, <c>jwt</c> mode needs a signing key that fits its algorithm, and TLS
/// settings need https:// nodes to apply to. See docs/engines.md.
/// </summary>
internal sealed class EngineConnectionRules(string baseDirectory, TimeProvider time) : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        CheckConnection(config.EngineConnection, "engineConnection", errors);
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            // A null entry is reported by VirtualProxyRules.
            if (config.VirtualProxies[i] is not { } vp)
            {
                continue;
            }

            if (vp.EngineConnection is { } own)
            {
                CheckConnection(own, $"virtualProxies[{i}].engineConnection", errors);
            }

            var connection = vp.EngineConnection ?? config.EngineConnection;
            if (!connection.HasTlsSettings)
            {
                continue;
            }

            var from = vp.EngineConnection is null ? "engineConnection" : $"virtualProxies[{i}].engineConnection";
            for (var n = 0; n < vp.LoadBalancingServerNodes.Count; n++)
            {
                if (Uri.TryCreate(vp.LoadBalancingServerNodes[n], UriKind.Absolute, out var node) && node.Scheme == Uri.UriSchemeHttp)
                {
                    errors.Add($"virtualProxies[{i}].loadBalancingServerNodes[{n}]",
                        $"is http:// but {from} has TLS settings (client certificate, trusted root or thumbprints), which only an https:// node uses; write https://{node.Authority}{node.AbsolutePath.TrimEnd('/')} (Qlik Sense engines listen with TLS on 4747), or give this virtual proxy its own engineConnection without them");
                }
            }
        }
    }

    private void CheckConnection(EngineConnectionConfig connection, string path, ConfigErrors errors)
    {
        CheckClientCertificate(connection, path, errors);
        if (connection.TrustedRootPath is { } rootPath && Resolve(rootPath, $"{path}.trustedRootPath", errors) is { } root)
        {
            var problems = new List<EngineCredentialProblem>();
            EngineCredentials.LoadRoots(root, problems);
            Report(problems, path, errors);
        }

        for (var i = 0; i < connection.TrustedServerThumbprints.Count; i++)
        {
            if (EngineCredentials.NormalizeSha256Thumbprint(connection.TrustedServerThumbprints[i]) is null)
            {
                errors.Add($"{path}.trustedServerThumbprints[{i}]", "is not a SHA-256 thumbprint (64 hex digits; colons and spaces are ignored); e.g. from: openssl x509 -in engine.pem -noout -fingerprint -sha256");
            }
        }

        if (connection.DangerouslyAcceptAnyServerCertificate && (connection.TrustedRootPath is not null || connection.TrustedServerThumbprints.Count > 0))
        {
            errors.Add($"{path}.dangerouslyAcceptAnyServerCertificate", "is true next to trustedRootPath or trustedServerThumbprints, which it would override; remove it to validate engines");
        }

        CheckJwt(connection, path, errors);
    }

    private void CheckClientCertificate(EngineConnectionConfig connection, string path, ConfigErrors errors)
    {
        if (connection.ClientCertificatePath is null && connection.ClientKeyPath is null)
        {
            return;
        }

        if (connection.ClientCertificatePath is null)
        {
            errors.Add($"{path}.clientCertificatePath", "is missing while clientKeyPath is set; point it at the PEM certificate of that key (Qlik's client.pem)");
            return;
        }

        if (connection.ClientKeyPath is null)
        {
            errors.Add($"{path}.clientKeyPath", "is missing while clientCertificatePath is set; point it at the certificate's PEM private key (Qlik's client_key.pem)");
            return;
        }

        var certificate = Resolve(connection.ClientCertificatePath, $"{path}.clientCertificatePath", errors);
        var key = Resolve(connection.ClientKeyPath, $"{path}.clientKeyPath", errors);
        if (certificate is null || key is null)
        {
            return;
        }

        var problems = new List<EngineCredentialProblem>();
        EngineCredentials.LoadClientCertificate(certificate, key, time.GetUtcNow(), problems)?.Dispose();
        Report(problems, path, errors);
    }

    private void CheckJwt(EngineConnectionConfig connection, string path, ConfigErrors errors)
    {
        if (connection.Authentication != EngineAuthentication.Jwt)
        {
            if (connection.Jwt is not null)
            {
                errors.Add($"{path}.jwt", "is set but authentication is \"header\", so no token would be sent; write \"authentication\": \"jwt\" or remove jwt");
            }

            return;
        }

        if (connection.Jwt is not { } jwt)
        {
            errors.Add($"{path}.jwt", "is required with \"authentication\": \"jwt\"; add { \"privateKeyPath\": \"engine-signing.pem\" } with the private key whose public half the engines trust");
            return;
        }

        if (string.IsNullOrWhiteSpace(jwt.PrivateKeyPath))
        {
            errors.Add($"{path}.jwt.privateKeyPath", "is required with \"authentication\": \"jwt\"; point it at the PEM private key (RSA or EC) whose public half the engines trust");
        }
        else if (Resolve(jwt.PrivateKeyPath, $"{path}.jwt.privateKeyPath", errors) is { } keyPath)
        {
            try
            {
                if (EngineSigningKey.TryParse(File.ReadAllText(keyPath), jwt.Algorithm, out var error) is null)
                {
                    errors.Add(error!.Contains("jwt.algorithm", StringComparison.Ordinal) ? $"{path}.jwt.algorithm" : $"{path}.jwt.privateKeyPath", error);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : "cannot be read";
                errors.Add($"{path}.jwt.privateKeyPath", $"file '{keyPath}' {reason}; point it at the PEM private key whose public half the engines trust");
            }
        }

        if (jwt.LifetimeSeconds is < 10 or > 3600)
        {
            errors.Add($"{path}.jwt.lifetimeSeconds", "must be between 10 and 3600; a token only has to outlive the connection's opening (e.g. 300)");
        }

        if (string.IsNullOrWhiteSpace(jwt.GroupsAttribute))
        {
            errors.Add($"{path}.jwt.groupsAttribute", "is empty; name the user attribute whose values become the groups claim (e.g. \"group\")");
        }

        if (jwt.Issuer is "" || jwt.Audience is "")
        {
            errors.Add($"{path}.jwt", "issuer and audience may be left out but not empty; remove them or give a value");
        }
    }

    private string? Resolve(string path, string field, ConfigErrors errors)
    {
        try
        {
            if (path.Length > 0)
            {
                return Path.GetFullPath(path, baseDirectory);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
        }

        errors.Add(field, "is not a valid file path");
        return null;
    }

    private static void Report(List<EngineCredentialProblem> problems, string path, ConfigErrors errors)
    {
        foreach (var problem in problems)
        {
            errors.Add($"{path}.{problem.Field}", problem.Message);
        }
    }
}
