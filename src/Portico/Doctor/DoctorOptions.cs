namespace Portico.Doctor;

/// <summary>What <c>portico doctor</c> checks: a virtual proxy URL as a mashup on <see cref="Origin"/> would use it.</summary>
internal sealed record DoctorOptions
{
    /// <summary>The virtual proxy's base URL, e.g. https://qlik.example.com/sales/.</summary>
    public required Uri VirtualProxyUrl { get; init; }

    /// <summary>A mashup origin that should be allowed, e.g. https://mashup.example.com.</summary>
    public string? Origin { get; init; }

    /// <summary>PEM CA file to trust for the proxy's certificate; without it the system store is used.</summary>
    public string? CaFile { get; init; }

    /// <summary>A bearer token (JWT) to log in with, so the token and WebSocket checks can run.</summary>
    public string? Bearer { get; init; }

    /// <summary>A session cookie ("Name=value") to use instead of a bearer token.</summary>
    public string? Cookie { get; init; }

    /// <summary>Port of the plain-HTTP listener to test the redirect on; 80 when not given.</summary>
    public int? HttpPort { get; init; }
}
