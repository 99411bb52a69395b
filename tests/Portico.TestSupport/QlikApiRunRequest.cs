namespace Portico.TestSupport;

/// <summary>One run of <c>tests/clients/qlik-api-session.mjs</c>: @qlik/api opening an app and reading it.</summary>
public sealed record QlikApiRunRequest
{
    /// <summary>hostConfig.host: the virtual proxy's URL, e.g. <c>https://localhost:1234/jwt</c>.</summary>
    public required string Host { get; init; }

    /// <summary>hostConfig.authType; null lets @qlik/api detect the server from its product-info.json.</summary>
    public string? AuthType { get; init; }

    /// <summary>What hostConfig.getAccessToken returns.</summary>
    public string? Jwt { get; init; }

    public string AppId { get; init; } = "Sales Demo.qvf";

    /// <summary>openAppSession's autoResume (the client's resumable session path).</summary>
    public bool AutoResume { get; init; }

    public EnigmaHyperCubeRequest HyperCube { get; init; } = new(["Region"], ["Sum(Sales)"]);

    /// <summary>The PEM file node trusts for the server's certificate.</summary>
    public string? CaFile { get; init; }

    public int TimeoutMs { get; init; } = 20_000;
}
