using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>
/// Browser sign-in of approvers against Microsoft Entra ID: the OpenID Connect authorization code flow with PKCE, run by
/// Microsoft.Identity.Web and ASP.NET Core's OpenID Connect handler (<see cref="ApproverSignInEvents"/> adds our
/// rules), ending in an encrypted cookie that only the approval pages read.
/// </summary>
public sealed class ApproverSignIn(IOptions<EntraOptions> entra)
{
    /// <summary>The OpenID Connect scheme of the approvers' sign-in (registered only when it is configured).</summary>
    public const string Scheme = "ApproverSignIn";
    public const string CookieScheme = "ApproverCookie";
    public const string CookieName = "DataRights.Approver";

    /// <summary>Prefix of the short-lived correlation cookie of a started sign-in (the handler appends its id).</summary>
    public const string CorrelationCookieName = "DataRights.SignIn.";

    /// <summary>Prefix of the nonce cookie of a started sign-in.</summary>
    public const string NonceCookieName = "DataRights.Nonce.";

    public const string CallbackPath = "/signin/callback";

    /// <summary>How long a started sign-in may take before it is refused.</summary>
    public static readonly TimeSpan CorrelationLifetime = TimeSpan.FromMinutes(10);

    public bool Enabled => entra.Value.BrowserSignInEnabled;

    /// <summary>A local path on this site (<c>/approve/...</c>), never another host: protects against open redirects.</summary>
    public static bool IsLocalPath(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl.Length <= 2048
        && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(c => char.IsControl(c) || c == '\\')
        && Uri.TryCreate(returnUrl, UriKind.Relative, out _);

    /// <summary>The approver signed in with the browser cookie, or null.</summary>
    public static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(CookieScheme);
        return result.Principal is { Identity.IsAuthenticated: true } user ? user : null;
    }
}
