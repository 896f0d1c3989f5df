namespace DataRights.Host.StaffConsole.Admin;

/// <summary>The addresses of the console's administrator pages.</summary>
public static class AdminRoutes
{
    public const string Sources = "/staff/sources";
    public const string Holds = "/staff/holds";
    public const string Suppression = "/staff/suppression";
    public const string Retention = "/staff/retention";
    public const string Purges = "/staff/purges";

    public static string SourceTest(string key) => Sources + "/" + Uri.EscapeDataString(key) + "/test";

    public static string HoldLift(string id) => Holds + "/" + Uri.EscapeDataString(id) + "/lift";

    public static string Purge(string id) => Purges + "/" + Uri.EscapeDataString(id);

    public static string PurgeCsv(string id) => Purge(id) + ".csv";

    /// <summary>The console address a form asked to come back to, with <c>done=</c> for its notice; the holds page when it named none or another site.</summary>
    public static string Back(string? returnUrl, string fallback, string done)
    {
        var back = ConsoleRoutes.IsConsolePath(returnUrl) ? returnUrl! : fallback;
        return back + (back.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "done=" + Uri.EscapeDataString(done);
    }
}
