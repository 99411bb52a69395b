namespace Portico.DemoEngine.Qix;

/// <summary>What the engine claims to be. The version is a Qlik Sense one that enigma.js schemas cover.</summary>
internal static class EngineInfo
{
    public const string Version = "12.2000.0";
    public const string ProductName = "Qlik Sense";
}
