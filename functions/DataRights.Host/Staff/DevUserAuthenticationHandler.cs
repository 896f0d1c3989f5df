using System.Security.Claims;
using System.Text.Encodings.Web;
using DataRights.Core.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>
/// Local try-out only: the header <c>X-DataRights-Dev-User: name</c> signs in as an Approver and Admin, in the
/// Development environment with <c>DataRights:DevSignIn=true</c> (see <see cref="Hosting.DevSignIn"/>). Otherwise the
/// header is ignored, so nothing is signed in.
/// </summary>
public sealed class DevUserAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IHostEnvironment environment,
    IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevUser";
    public const string HeaderName = "X-DataRights-Dev-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Hosting.DevSignIn.IsOn(environment, configuration) || !Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var name = values.ToString().Trim();
        if (name.Length is 0 or > 100 || TextRules.HasForbiddenCharacters(name, multiLine: false))
        {
            return Task.FromResult(AuthenticateResult.Fail($"{HeaderName} must be a name of 1 to 100 printable characters."));
        }

        List<Claim> claims =
        [
            new Claim(StaffRoles.NameClaim, name),
            new Claim(StaffRoles.RoleClaim, StaffRoles.Approver),
            new Claim(StaffRoles.RoleClaim, StaffRoles.Admin),
        ];
        if (name.Contains('@', StringComparison.Ordinal))
        {
            // An address given as the name is the account's sign-in name, as Entra ID's preferred_username is.
            claims.Add(new Claim("preferred_username", name));
        }

        var identity = new ClaimsIdentity(
            claims,
            SchemeName,
            StaffRoles.NameClaim,
            StaffRoles.RoleClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
