using DataRights.Core.Requests;

namespace DataRights.Core.Tests.Requests;

public sealed class IntakeValidatorTests
{
    private static readonly IntakeSubmission ValidSubmission = new(
        Type: "access",
        Email: "jane.doe@example.com",
        FullName: "Jane Doe",
        Jurisdiction: "UK",
        AccountReference: "ACC-42",
        Details: "Please send everything.");

    [Fact]
    public void Validate_ValidSubmission_ReturnsValueAndNoErrors()
    {
        var result = IntakeValidator.Validate(ValidSubmission, Jurisdiction.EU);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(
            new ValidatedIntake(RequestType.Access, "jane.doe@example.com", "Jane Doe", Jurisdiction.UK, "ACC-42", "Please send everything."),
            result.Value);
    }

    [Fact]
    public void Validate_EmailWithCapitalsAndSurroundingSpaces_IsLowerCasedAndTrimmed()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Email = "  Jane.Doe@Example.COM " }, Jurisdiction.UK);

        Assert.Equal("jane.doe@example.com", Valid(result).Email);
    }

    [Fact]
    public void Validate_NameWithRunsOfWhiteSpace_IsCollapsedToSingleSpaces()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { FullName = "  Jane \u00A0  van    Doe  " }, Jurisdiction.UK);

        Assert.Equal("Jane van Doe", Valid(result).FullName);
    }

    [Theory]
    [InlineData("erasure")]
    [InlineData("ERASURE")]
    [InlineData(" Erasure ")]
    public void Validate_TypeInAnyCase_IsAccepted(string type)
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Type = type }, Jurisdiction.UK);

        Assert.Equal(RequestType.Erasure, Valid(result).Type);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_EmptyJurisdiction_AppliesDefault(string? jurisdiction)
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Jurisdiction = jurisdiction }, Jurisdiction.UsCa);

        Assert.Equal(Jurisdiction.UsCa, Valid(result).Jurisdiction);
    }

    [Theory]
    [InlineData("us-ca", Jurisdiction.UsCa)]
    [InlineData(" eu ", Jurisdiction.EU)]
    [InlineData("other", Jurisdiction.Other)]
    [InlineData("BR", Jurisdiction.BR)]
    public void Validate_JurisdictionInAnyCase_IsAccepted(string jurisdiction, Jurisdiction expected)
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Jurisdiction = jurisdiction }, Jurisdiction.UK);

        Assert.Equal(expected, Valid(result).Jurisdiction);
    }

    [Fact]
    public void Validate_BlankOptionalFields_BecomeNull()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { AccountReference = "  ", Details = "\r\n\t " }, Jurisdiction.UK);

        var value = Valid(result);
        Assert.Null(value.AccountReference);
        Assert.Null(value.Details);
    }

    [Fact]
    public void Validate_DetailsWithLineBreaksAndTabs_KeepsThemAndTrimsEnds()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Details = "  First line\r\nSecond\tline\n\nThird  " }, Jurisdiction.UK);

        Assert.Equal("First line\r\nSecond\tline\n\nThird", Valid(result).Details);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("O'Brien & \"Sons\" <b>")]
    public void Validate_HtmlInName_IsAcceptedAsPlainText(string name)
    {
        var result = IntakeValidator.Validate(ValidSubmission with { FullName = name }, Jurisdiction.UK);

        Assert.Equal(name, Valid(result).FullName);
    }

    [Fact]
    public void Validate_HtmlInDetails_IsAcceptedUnchanged()
    {
        const string details = "<img src=x onerror=alert(1)>\n</textarea>";
        var result = IntakeValidator.Validate(ValidSubmission with { Details = details }, Jurisdiction.UK);

        Assert.Equal(details, Valid(result).Details);
    }

    [Theory]
    [InlineData(IntakeFields.Type, null)]
    [InlineData(IntakeFields.Type, "")]
    [InlineData(IntakeFields.Type, "   ")]
    [InlineData(IntakeFields.Type, "delete")]
    [InlineData(IntakeFields.Type, "acc ess")]
    [InlineData(IntakeFields.Email, null)]
    [InlineData(IntakeFields.Email, "")]
    [InlineData(IntakeFields.Email, "  ")]
    [InlineData(IntakeFields.Email, "a@b")]
    [InlineData(IntakeFields.Email, "a..b@example.com")]
    [InlineData(IntakeFields.Email, "@example.com")]
    [InlineData(IntakeFields.Email, "a@-example.com")]
    [InlineData(IntakeFields.Email, "a@example-.com")]
    [InlineData(IntakeFields.Email, "jane.doe")]
    [InlineData(IntakeFields.Email, "jane@")]
    [InlineData(IntakeFields.Email, "jane@@example.com")]
    [InlineData(IntakeFields.Email, "jane@doe@example.com")]
    [InlineData(IntakeFields.Email, "jane doe@example.com")]
    [InlineData(IntakeFields.Email, ".jane@example.com")]
    [InlineData(IntakeFields.Email, "jane.@example.com")]
    [InlineData(IntakeFields.Email, "jane@exam_ple.com")]
    [InlineData(IntakeFields.Email, "jane@example.c0m")]
    [InlineData(IntakeFields.Email, "jane@example..com")]
    [InlineData(IntakeFields.Email, "<jane@example.com>")]
    [InlineData(IntakeFields.FullName, null)]
    [InlineData(IntakeFields.FullName, "")]
    [InlineData(IntakeFields.FullName, "   ")]
    [InlineData(IntakeFields.Jurisdiction, "GB")]
    [InlineData(IntakeFields.Jurisdiction, "US")]
    [InlineData(IntakeFields.Jurisdiction, "us_ca")]
    public void Validate_BadField_ReportsErrorOnThatFieldOnly(string field, string? value)
    {
        var result = IntakeValidator.Validate(With(field, value), Jurisdiction.UK);

        AssertOnlyError(result, field);
    }

    [Theory]
    [InlineData(IntakeFields.FullName, 0x0000)]
    [InlineData(IntakeFields.FullName, 0x0007)]
    [InlineData(IntakeFields.FullName, 0x0009)]
    [InlineData(IntakeFields.FullName, 0x000A)]
    [InlineData(IntakeFields.FullName, 0x000D)]
    [InlineData(IntakeFields.FullName, 0x001B)]
    [InlineData(IntakeFields.FullName, 0x007F)]
    [InlineData(IntakeFields.FullName, 0x0085)]
    [InlineData(IntakeFields.FullName, 0x202A)]
    [InlineData(IntakeFields.FullName, 0x202E)]
    [InlineData(IntakeFields.FullName, 0x2066)]
    [InlineData(IntakeFields.FullName, 0x2069)]
    [InlineData(IntakeFields.FullName, 0xD800)]
    [InlineData(IntakeFields.FullName, 0xDC00)]
    [InlineData(IntakeFields.AccountReference, 0x000A)]
    [InlineData(IntakeFields.AccountReference, 0x202E)]
    [InlineData(IntakeFields.Details, 0x0000)]
    [InlineData(IntakeFields.Details, 0x0008)]
    [InlineData(IntakeFields.Details, 0x001F)]
    [InlineData(IntakeFields.Details, 0x202E)]
    [InlineData(IntakeFields.Details, 0x2067)]
    [InlineData(IntakeFields.Details, 0xD83D)]
    [InlineData(IntakeFields.Email, 0x0000)]
    [InlineData(IntakeFields.Email, 0x202E)]
    public void Validate_ForbiddenCharacterInField_ReportsErrorOnThatField(string field, int codeUnit)
    {
        // Built at run time: a lone surrogate cannot survive an attribute argument.
        var value = field == IntakeFields.Email
            ? "jane" + (char)codeUnit + "@example.com"
            : "Jane" + (char)codeUnit + "Doe";

        var result = IntakeValidator.Validate(With(field, value), Jurisdiction.UK);

        AssertOnlyError(result, field);
    }

    [Fact]
    public void Validate_ValidSurrogatePairInNameAndDetails_IsAccepted()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { FullName = "Jane \U0001F600 Doe", Details = "\U0001F600" }, Jurisdiction.UK);

        Assert.Equal("Jane \U0001F600 Doe", Valid(result).FullName);
    }

    [Fact]
    public void Validate_EmailOfMaximumLength_IsAccepted()
    {
        var email = LongEmail(254);

        var result = IntakeValidator.Validate(ValidSubmission with { Email = email }, Jurisdiction.UK);

        Assert.Equal(email, Valid(result).Email);
    }

    [Fact]
    public void Validate_EmailOfMaximumLengthWithSurroundingSpaces_IsAccepted()
    {
        var email = LongEmail(254);

        var result = IntakeValidator.Validate(ValidSubmission with { Email = " " + email + " " }, Jurisdiction.UK);

        Assert.Equal(email, Valid(result).Email);
    }

    [Theory]
    [InlineData(0x200B)]
    [InlineData(0xFEFF)]
    [InlineData(0x2060)]
    [InlineData(0x200E)]
    public void Validate_NameOfInvisibleCharactersOnly_ReportsFullName(int codePoint)
    {
        var invisible = new string((char)codePoint, 3);

        var result = IntakeValidator.Validate(ValidSubmission with { FullName = invisible }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.FullName);
        Assert.Equal("Enter your full name.", result.Errors[IntakeFields.FullName][0]);
    }

    [Fact]
    public void Validate_EmailOverMaximumLength_ReportsEmail()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Email = LongEmail(255) }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.Email);
        Assert.Contains("254 characters or fewer", result.Errors[IntakeFields.Email][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameOfMaximumLength_IsAccepted()
    {
        var name = new string('a', IntakeFields.MaxFullNameLength);

        var result = IntakeValidator.Validate(ValidSubmission with { FullName = name }, Jurisdiction.UK);

        Assert.Equal(name, Valid(result).FullName);
    }

    [Fact]
    public void Validate_NameOverMaximumLength_ReportsFullName()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { FullName = new string('a', 201) }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.FullName);
        Assert.Contains("200 characters or fewer", result.Errors[IntakeFields.FullName][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameOf200AccentedLettersIn400CodeUnits_IsAccepted()
    {
        // "e" + combining acute accent: two UTF-16 code units, one letter as a person sees it.
        var name = string.Concat(Enumerable.Repeat("e\u0301", 200));

        var result = IntakeValidator.Validate(ValidSubmission with { FullName = name }, Jurisdiction.UK);

        Assert.Equal(name, Valid(result).FullName);
    }

    [Fact]
    public void Validate_NameOf201AccentedLetters_ReportsFullName()
    {
        var name = string.Concat(Enumerable.Repeat("e\u0301", 201));

        var result = IntakeValidator.Validate(ValidSubmission with { FullName = name }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.FullName);
    }

    [Fact]
    public void Validate_NameLongOnlyBeforeWhiteSpaceIsCollapsed_IsAccepted()
    {
        var name = new string('a', 100) + "          " + new string('b', 99);

        var result = IntakeValidator.Validate(ValidSubmission with { FullName = name }, Jurisdiction.UK);

        Assert.Equal(200, Valid(result).FullName.Length);
    }

    [Fact]
    public void Validate_DetailsOfMaximumLength_IsAccepted()
    {
        var details = new string('x', IntakeFields.MaxDetailsLength);

        var result = IntakeValidator.Validate(ValidSubmission with { Details = details }, Jurisdiction.UK);

        Assert.Equal(details, Valid(result).Details);
    }

    [Fact]
    public void Validate_DetailsOverMaximumLength_ReportsDetails()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Details = new string('x', 4001) }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.Details);
        Assert.Contains("4000 characters or fewer", result.Errors[IntakeFields.Details][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AccountReferenceOverMaximumLength_ReportsAccountReference()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { AccountReference = new string('7', 101) }, Jurisdiction.UK);

        AssertOnlyError(result, IntakeFields.AccountReference);
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEveryOneAtOnce()
    {
        var submission = new IntakeSubmission(
            Type: "delete",
            Email: "a@b",
            FullName: " ",
            Jurisdiction: "Narnia",
            AccountReference: "line\nbreak",
            Details: "nul\0here");

        var result = IntakeValidator.Validate(submission, Jurisdiction.UK);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(
            [IntakeFields.AccountReference, IntakeFields.Details, IntakeFields.Email, IntakeFields.FullName, IntakeFields.Jurisdiction, IntakeFields.Type],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Errors.Values, messages => Assert.False(string.IsNullOrWhiteSpace(Assert.Single(messages))));
    }

    [Fact]
    public void Validate_UnknownType_ErrorListsTheKnownTypes()
    {
        var result = IntakeValidator.Validate(ValidSubmission with { Type = "delete" }, Jurisdiction.UK);

        var message = Assert.Single(result.Errors[IntakeFields.Type]);
        Assert.Contains("access, erasure, rectification, restriction, objection, portability", message, StringComparison.Ordinal);
    }

    private static ValidatedIntake Valid(IntakeValidation result)
    {
        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        return result.Value!;
    }

    private static void AssertOnlyError(IntakeValidation result, string field)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var (key, messages) = Assert.Single(result.Errors);
        Assert.Equal(field, key);
        Assert.False(string.IsNullOrWhiteSpace(Assert.Single(messages)));
    }

    private static IntakeSubmission With(string field, string? value) => field switch
    {
        IntakeFields.Type => ValidSubmission with { Type = value },
        IntakeFields.Email => ValidSubmission with { Email = value },
        IntakeFields.FullName => ValidSubmission with { FullName = value },
        IntakeFields.Jurisdiction => ValidSubmission with { Jurisdiction = value },
        IntakeFields.AccountReference => ValidSubmission with { AccountReference = value },
        IntakeFields.Details => ValidSubmission with { Details = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an intake field."),
    };

    // A 64-character local part and labels of at most 63 characters: only the total length is at stake.
    private static string LongEmail(int length)
    {
        var local = new string('l', 64);
        var lastLabel = new string('c', length - 64 - 1 - 63 - 1 - 63 - 1 - 4);
        return $"{local}@{new string('a', 63)}.{new string('b', 63)}.{lastLabel}.com";
    }
}
