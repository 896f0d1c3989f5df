namespace DataRights.Core.Requests;

/// <summary>The outcome of validating a submission: either a value or errors keyed by field.</summary>
public sealed record IntakeValidation(ValidatedIntake? Value, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Value is not null;
}
