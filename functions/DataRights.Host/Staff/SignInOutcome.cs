using System.Security.Claims;

namespace DataRights.Host.Staff;

/// <summary>A finished sign-in: the approver and where to go back to, or why it was refused.</summary>
public sealed record SignInOutcome(ClaimsPrincipal? Principal, string? ReturnUrl, string? RefusedBecause)
{
    public static SignInOutcome Refused(string reason) => new(null, null, reason);
}
