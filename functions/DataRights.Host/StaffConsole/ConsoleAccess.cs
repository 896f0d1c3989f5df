using System.Security.Claims;
using DataRights.Host.Staff;

namespace DataRights.Host.StaffConsole;

/// <summary>
/// Who may use the console: a person signed in with the staff browser cookie (Microsoft Entra ID on Azure, the
/// development sign-in locally) in the Approver or Admin role. The signed-in person becomes the request's user, so
/// anti-forgery tokens are bound to them and the audit trail names them.
/// </summary>
public static class ConsoleAccess
{
    /// <summary>The signed-in staff member, or the answer to give instead: to the sign-in page, or refused for want of a role.</summary>
    public static async Task<(ClaimsPrincipal? User, IResult? Refusal)> RequireAsync(HttpContext context, bool admin = false)
    {
        var user = await ApproverSignIn.SignedInAsync(context);
        if (user is null)
        {
            var here = context.Request.Path.Value + (HttpMethods.IsGet(context.Request.Method) ? context.Request.QueryString.Value : string.Empty);
            var back = ConsoleRoutes.IsConsolePath(here) ? here : ConsoleRoutes.Inbox;
            return (null, TypedResults.Redirect(ConsoleRoutes.SignIn + "?returnUrl=" + Uri.EscapeDataString(back)));
        }

        var allowed = admin ? user.IsInRole(StaffRoles.Admin) : user.IsInRole(StaffRoles.Approver) || user.IsInRole(StaffRoles.Admin);
        if (!allowed)
        {
            return (null, ConsoleLayout.Message(context, "Not allowed", null, null, "You cannot open this page",
                admin ? "This page is for privacy administrators. Ask your administrator if you need it."
                      : "The privacy console is for approvers and administrators. Ask your administrator to give you one of those roles.",
                StatusCodes.Status403Forbidden));
        }

        context.User = user;
        return (user, null);
    }
}
