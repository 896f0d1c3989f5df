namespace DataRights.Core.Verification;

/// <summary>
/// How sure of the requester's identity a request must make us before anything is disclosed or erased: control of
/// the email address always; where the law asks for more, that many of the details they give match our records,
/// and a declaration they sign.
/// </summary>
public sealed record VerificationLevel(int DataPoints, bool Declaration)
{
    /// <summary>Following the emailed link is enough.</summary>
    public static VerificationLevel EmailOnly { get; } = new(0, false);

    public bool NeedsMoreThanEmail => DataPoints > 0 || Declaration;

    /// <summary>The level in plain words, for staff and the documentation.</summary>
    public string Describe() => (DataPoints, Declaration) switch
    {
        (0, false) => "control of the email address",
        (0, true) => "control of the email address and a signed declaration",
        (var n, false) => $"control of the email address and {Text.Plural.Count(n, "detail")} matching our records",
        (var n, true) => $"control of the email address, {Text.Plural.Count(n, "detail")} matching our records and a signed declaration",
    };
}
