namespace DataRights.Host.Staff;

/// <summary>What a started sign-in must find again at the callback (inside the protected correlation cookie).</summary>
public sealed record SignInCorrelation(string State, string Nonce, string CodeVerifier, string ReturnUrl, DateTimeOffset StartedAt);
