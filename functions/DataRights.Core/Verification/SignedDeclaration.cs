namespace DataRights.Core.Verification;

/// <summary>The declaration the requester affirmed: its text, the full name they typed to sign it, and when.</summary>
public sealed record SignedDeclaration(string Text, string SignedAs, DateTimeOffset At);
