using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Requests;

public sealed class RequestFingerprintTests
{
    private static readonly ValidatedIntake Intake = new(
        RequestType.Access, "jane@example.com", "Jane Doe", Jurisdiction.UK, "ACC-42", "Please send everything.");

    [Fact]
    public void Compute_SameIntake_SameHash()
    {
        var copy = Intake with { };

        Assert.Equal(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(copy));
    }

    [Fact]
    public void Compute_AnyIntake_IsLowerCaseSha256Hex()
    {
        var hash = RequestFingerprint.Compute(Intake);

        Assert.Equal(64, hash.Length);
        Assert.All(hash, c => Assert.True(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f', $"'{c}' is not lower-case hex."));
    }

    [Fact]
    public void Compute_KnownIntake_MatchesStoredValue()
    {
        // Fingerprints are stored and compared across the duplicate window: the formula must not drift.
        var intake = new ValidatedIntake(RequestType.Access, "jane@example.com", "Jane Doe", Jurisdiction.UK, null, null);

        Assert.Equal("5cc6e75f86ddbd81f03d067b881b08089fa323d3b7cb8210c31f90ab10d192e0", RequestFingerprint.Compute(intake));
    }

    [Theory]
    [InlineData(nameof(ValidatedIntake.Type))]
    [InlineData(nameof(ValidatedIntake.Email))]
    [InlineData(nameof(ValidatedIntake.FullName))]
    [InlineData(nameof(ValidatedIntake.Jurisdiction))]
    [InlineData(nameof(ValidatedIntake.AccountReference))]
    [InlineData(nameof(ValidatedIntake.Details))]
    public void Compute_OneFieldDiffers_HashDiffers(string field)
    {
        var changed = field switch
        {
            nameof(ValidatedIntake.Type) => Intake with { Type = RequestType.Erasure },
            nameof(ValidatedIntake.Email) => Intake with { Email = "jane2@example.com" },
            nameof(ValidatedIntake.FullName) => Intake with { FullName = "Jane Does" },
            nameof(ValidatedIntake.Jurisdiction) => Intake with { Jurisdiction = Jurisdiction.EU },
            nameof(ValidatedIntake.AccountReference) => Intake with { AccountReference = "ACC-43" },
            nameof(ValidatedIntake.Details) => Intake with { Details = "Please send everything!" },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field of ValidatedIntake."),
        };

        Assert.NotEqual(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(changed));
    }

    [Fact]
    public void Compute_OptionalFieldAbsentOrPresent_HashDiffers()
    {
        Assert.NotEqual(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(Intake with { AccountReference = null }));
        Assert.NotEqual(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(Intake with { Details = null }));
    }

    [Fact]
    public void Compute_TextMovedBetweenAdjacentFields_HashDiffers()
    {
        var inReference = Intake with { AccountReference = "X", Details = null };
        var inDetails = Intake with { AccountReference = null, Details = "X" };

        Assert.NotEqual(RequestFingerprint.Compute(inReference), RequestFingerprint.Compute(inDetails));
    }

    [Theory]
    [InlineData("JANE DOE")]
    [InlineData("jane doe")]
    [InlineData("jAnE dOe")]
    public void Compute_NameInAnotherCase_SameHash(string name)
    {
        Assert.Equal(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(Intake with { FullName = name }));
    }

    [Fact]
    public void Compute_AccountReferenceInAnotherCase_SameHash()
    {
        Assert.Equal(RequestFingerprint.Compute(Intake), RequestFingerprint.Compute(Intake with { AccountReference = "acc-42" }));
    }

    [Fact]
    public void Compute_SubmissionsThatNormaliseAlike_SameHash()
    {
        var first = IntakeValidator.Validate(
            new IntakeSubmission("access", "jane@example.com", "Jane Doe", "UK", null, "Everything"), Jurisdiction.UK);
        var second = IntakeValidator.Validate(
            new IntakeSubmission(" ACCESS ", "  JANE@Example.com ", "  jane   DOE ", "", "  ", "  Everything\n"), Jurisdiction.UK);

        Assert.Equal(RequestFingerprint.Compute(first.Value!), RequestFingerprint.Compute(second.Value!));
    }
}
