namespace DataRights.Host.StaffConsole;

/// <summary>The staff console's addresses.</summary>
public static class ConsoleRoutes
{
    public const string Inbox = "/staff";
    public const string SignIn = "/staff/signin";
    public const string SignOut = "/staff/signout";

    /// <summary>Requests received but set aside, not taken in (<see cref="SetAsidePage"/>).</summary>
    public const string SetAside = "/staff/set-aside";

    /// <summary>Asks for one set aside to be tried again: <c>/staff/set-aside/{id}/try-again</c>.</summary>
    public static string TryAgain(string id) => SetAside + "/" + Uri.EscapeDataString(id) + "/try-again";

    /// <summary>Removes one set aside, handled by hand: <c>/staff/set-aside/{id}/remove</c>.</summary>
    public static string RemoveSetAside(string id) => SetAside + "/" + Uri.EscapeDataString(id) + "/remove";

    /// <summary>Every record of a request set aside and handled by hand, as a CSV file.</summary>
    public const string HandledCsv = SetAside + "/handled.csv";

    /// <summary>Prefix of a request's page: <c>/staff/requests/{id}</c>.</summary>
    public const string Requests = "/staff/requests/";

    public static string Request(string id) => Requests + Uri.EscapeDataString(id);

    /// <summary>The copy of one email sent about a request: <c>/staff/requests/{id}/emails/{messageId}</c>.</summary>
    public static string EmailCopy(string id, string messageId) => Request(id) + "/emails/" + Uri.EscapeDataString(messageId);

    /// <summary>A console address to come back to after signing in: a local path under <c>/staff</c>, never another site.</summary>
    public static bool IsConsolePath(string? returnUrl) =>
        Staff.ApproverSignIn.IsLocalPath(returnUrl)
        && (returnUrl == Inbox || returnUrl!.StartsWith(Inbox + "/", StringComparison.Ordinal) || returnUrl.StartsWith(Inbox + "?", StringComparison.Ordinal));
}
