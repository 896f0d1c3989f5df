namespace DataRights.Core.Requests;

/// <summary>Field names as clients send them; validation errors are keyed by these.</summary>
public static class IntakeFields
{
    public const string Type = "type";
    public const string Email = "email";
    public const string FullName = "fullName";
    public const string Jurisdiction = "jurisdiction";
    public const string AccountReference = "accountReference";
    public const string Details = "details";

    /// <summary>
    /// Optional: details the person gives to prove who they are (an object of data point name to text), where the
    /// request's verification level asks for them. Errors are keyed <c>dataPoints</c> or <c>dataPoints.{name}</c>.
    /// </summary>
    public const string DataPoints = "dataPoints";

    /// <summary>Errors about the body as a whole (malformed JSON, too large) are keyed by this.</summary>
    public const string Body = "body";

    public static IReadOnlyList<string> All { get; } = [Type, Email, FullName, Jurisdiction, AccountReference, Details];

    public const int MaxEmailLength = 254;
    public const int MaxFullNameLength = 200;
    public const int MaxAccountReferenceLength = 100;
    public const int MaxDetailsLength = 4000;
}
