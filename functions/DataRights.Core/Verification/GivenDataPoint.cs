using System.Globalization;
using System.Text;

namespace DataRights.Core.Verification;

/// <summary>
/// One detail the requester gave to prove who they are: the configured data point's <see cref="Name"/>, the identity
/// <see cref="Field"/> sources hold it under, the <see cref="Value"/> (personal data: handed to connectors only, never
/// logged, audited or published) and its keyed <see cref="Hash"/> (HMAC-SHA256), which is what the audit trail keeps.
/// </summary>
public sealed record GivenDataPoint(string Name, string Field, string Value, string Hash)
{
    /// <summary>The identity field phone numbers are held under.</summary>
    public const string PhoneField = "phone";

    /// <summary>How many of a phone number's last digits are compared: the subscriber's number without a country or trunk prefix.</summary>
    public const int PhoneDigits = 9;

    /// <summary>
    /// A detail as it is compared: letters and digits only, upper case, so "ec1a 1aa" matches "EC1A 1AA", "+44 7700 900123"
    /// matches "+447700900123" and "41.99" matches an amount held in pence (4199). Compatibility forms are folded first
    /// (full-width "０７７００" is "07700") and every script's digits are read as 0-9 (Devanagari "४२" is "42"). Connectors
    /// compare what they hold the same way.
    /// </summary>
    public static string Comparable(string value) => Comparable(null, value);

    /// <summary>
    /// <see cref="Comparable(string)"/> for a detail held under <paramref name="field"/>: a phone number is compared by its
    /// last <see cref="PhoneDigits"/> digits, so "07700 900123" (as dialled at home) matches "+44 7700 900123".
    /// </summary>
    public static string Comparable(string? field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string folded;
        try
        {
            folded = value.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Not valid Unicode (a lone surrogate in a value a source holds): compared as it is.
            folded = value;
        }

        var comparable = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (CharUnicodeInfo.GetDecimalDigitValue(c) is >= 0 and var digit)
            {
                comparable.Append((char)('0' + digit));
            }
            else if (char.IsLetter(c))
            {
                comparable.Append(char.ToUpperInvariant(c));
            }
        }

        var text = comparable.ToString();
        return string.Equals(field, PhoneField, StringComparison.Ordinal) && text.Length > PhoneDigits && text.All(char.IsAsciiDigit) ? text[^PhoneDigits..] : text;
    }
}
