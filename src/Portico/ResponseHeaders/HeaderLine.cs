namespace Portico.ResponseHeaders;

/// <summary>One "Name: value" line of a virtual proxy's additional response headers.</summary>
internal sealed record HeaderLine(int LineNumber, string Name, string Value);
