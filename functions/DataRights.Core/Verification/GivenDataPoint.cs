namespace DataRights.Core.Verification;

/// <summary>
/// One detail the requester gave to prove who they are: the configured data point's <see cref="Name"/>, the identity
/// <see cref="Field"/> sources hold it under, the <see cref="Value"/> (personal data: handed to connectors only, never
/// logged, audited or published) and its keyed <see cref="Hash"/> (HMAC-SHA256), which is what the audit trail keeps.
/// </summary>
public sealed record GivenDataPoint(string Name, string Field, string Value, string Hash)
{
    /// <summary>
    /// A detail as it is compared: letters and digits only, upper case, so "ec1a 1aa" matches "EC1A 1AA", "+44 7700 900123"
    /// matches "+447700900123" and "41.99" matches an amount held in pence (4199). Connectors compare what they hold the same way.
    /// </summary>
    public static string Comparable(string value) =>
        string.Concat(value.Where(char.IsLetterOrDigit)).ToUpperInvariant();
}
