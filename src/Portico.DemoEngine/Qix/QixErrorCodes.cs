namespace Portico.DemoEngine.Qix;

/// <summary>The subset of Qlik's LocalizedErrorCode values the engine answers with, so clients can branch on them.</summary>
internal static class QixErrorCodes
{
    public const int AlreadyExists = 3;
    public const int AccessDenied = 5;
    public const int AppAlreadyOpen = 1002;
    public const int AppNotFound = 1003;
    public const int AppNotOpen = 1017;
    public const int CalcInvalidDefinition = 7000;
    public const int CalcPagesTooLarge = 7009;
}
