namespace Portico.Doctor;

internal enum DoctorVerdict
{
    Pass,
    Warn,
    Fail,
    Skip,
}

/// <summary>One line of the doctor's report: what was checked, the verdict, and what to do about it.</summary>
internal sealed record DoctorCheck(string Name, DoctorVerdict Verdict, string Detail)
{
    public override string ToString() => $"[{Verdict.ToString().ToUpperInvariant(),-4}] {Name}: {Detail}";
}
