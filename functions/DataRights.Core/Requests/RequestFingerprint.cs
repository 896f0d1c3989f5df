using System.Security.Cryptography;
using System.Text;

namespace DataRights.Core.Requests;

/// <summary>
/// A SHA-256 over the normalised fields of a submission. Two submissions with the same fingerprint
/// within the duplicate window are the same request (a double click, a resubmitted form).
/// </summary>
public static class RequestFingerprint
{
    public static string Compute(ValidatedIntake intake)
    {
        var text = string.Join(
            '\u001f',
            "v1",
            intake.Type.Name(),
            intake.Email,
            intake.FullName.ToUpperInvariant(),
            intake.Jurisdiction.Name(),
            intake.AccountReference?.ToUpperInvariant() ?? string.Empty,
            intake.Details ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
