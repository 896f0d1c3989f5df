using Microsoft.AspNetCore.Authentication;

namespace DataRights.Host.Staff;

public static class StaffAuthenticationExtensions
{
    /// <summary>Staff API authentication. Outside Development nothing signs in yet, so every staff call is 401.</summary>
    public static IServiceCollection AddStaffAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(DevUserAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, DevUserAuthenticationHandler>(DevUserAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.ApproverPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Approver, StaffRoles.Admin))
            .AddPolicy(StaffRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));
        return services;
    }
}
