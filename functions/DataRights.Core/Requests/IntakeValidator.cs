using DataRights.Core.Text;

namespace DataRights.Core.Requests;

/// <summary>
/// Validates a submission field by field. Every problem is reported against the field it concerns,
/// in plain English, so a person can fix all of them at once.
/// </summary>
public static class IntakeValidator
{
    public static IntakeValidation Validate(IntakeSubmission submission, Jurisdiction defaultJurisdiction)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        var type = default(RequestType);
        if (string.IsNullOrWhiteSpace(submission.Type))
        {
            errors[IntakeFields.Type] = ["Choose what you would like us to do with your data."];
        }
        else if (!WireNames.TryParseSentType(submission.Type, out type))
        {
            errors[IntakeFields.Type] = [$"Choose one of: {string.Join(", ", WireNames.AllTypes)}."];
        }

        var email = string.Empty;
        if (string.IsNullOrWhiteSpace(submission.Email))
        {
            errors[IntakeFields.Email] = ["Enter your email address."];
        }
        else if (submission.Email.Trim().Length > IntakeFields.MaxEmailLength)
        {
            errors[IntakeFields.Email] = [$"Email address must be {IntakeFields.MaxEmailLength} characters or fewer."];
        }
        else if (TextRules.HasForbiddenCharacters(submission.Email, multiLine: false) || !EmailAddress.TryNormalize(submission.Email, out email))
        {
            errors[IntakeFields.Email] = ["Enter an email address in the correct format, like name@example.com."];
        }

        var fullName = Required(submission.FullName, IntakeFields.FullName, "your full name", IntakeFields.MaxFullNameLength, errors);
        var accountReference = Optional(submission.AccountReference, IntakeFields.AccountReference, "Customer or account reference", IntakeFields.MaxAccountReferenceLength, multiLine: false, errors);
        var details = Optional(submission.Details, IntakeFields.Details, "Details", IntakeFields.MaxDetailsLength, multiLine: true, errors);

        var jurisdiction = defaultJurisdiction;
        if (!string.IsNullOrWhiteSpace(submission.Jurisdiction)
            && !WireNames.TryParseSentJurisdiction(submission.Jurisdiction, out jurisdiction))
        {
            errors[IntakeFields.Jurisdiction] = [$"Choose one of: {string.Join(", ", WireNames.AllJurisdictions)}."];
        }

        return errors.Count > 0
            ? new IntakeValidation(null, errors)
            : new IntakeValidation(new ValidatedIntake(type, email, fullName!, jurisdiction, accountReference, details), errors);
    }

    private static string? Required(string? value, string field, string what, int maxLength, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"Enter {what}."];
            return null;
        }

        var cleaned = Optional(value, field, char.ToUpperInvariant(what[0]) + what[1..], maxLength, multiLine: false, errors);
        if (cleaned is not null && !TextRules.HasVisibleCharacters(cleaned))
        {
            errors[field] = [$"Enter {what}."];
            return null;
        }

        return cleaned;
    }

    private static string? Optional(string? value, string field, string label, int maxLength, bool multiLine, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TextRules.HasForbiddenCharacters(value, multiLine))
        {
            errors[field] = [multiLine
                ? $"{label} must not contain control characters (line breaks and tabs are fine)."
                : $"{label} must be on one line, without control characters."];
            return null;
        }

        var cleaned = multiLine ? value.Trim() : TextRules.CollapseWhiteSpace(value);
        if (TextRules.LengthInTextElements(cleaned) > maxLength)
        {
            errors[field] = [$"{label} must be {maxLength} characters or fewer."];
            return null;
        }

        return cleaned;
    }
}
