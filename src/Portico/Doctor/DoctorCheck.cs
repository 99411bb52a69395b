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
    /// <summary>
    /// A check that never saw the behaviour it judges (nothing answered, or something else answered)
    /// fails with the reason: an unreached server must not read as a refused stranger.
    /// </summary>
    public static DoctorCheck CouldNotRun(string name, string reason) => new(name, DoctorVerdict.Fail, "could not run: " + reason);

    public override string ToString() => $"[{Verdict.ToString().ToUpperInvariant(),-4}] {Name}: {Detail}";
}
