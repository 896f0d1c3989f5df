using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>The console navigation's links to the administrator pages (shown to administrators only).</summary>
public static class AdminNavigation
{
    private static readonly (string Href, string Text)[] Links =
    [
        (AdminRoutes.Sources, "Sources"),
        (AdminRoutes.Holds, "Holds"),
        (AdminRoutes.Suppression, "Suppression"),
        (AdminRoutes.Retention, "Retention"),
        (AdminRoutes.Purges, "Purges"),
    ];

    /// <summary>The links as list items; the one for the page at <paramref name="path"/> (or a page under it) marked current.</summary>
    public static HtmlString Items(string path) => Html.Join(Links.Select(l =>
        path == l.Href || path.StartsWith(l.Href + "/", StringComparison.Ordinal)
            ? Html.Of($"""<li><a href="{l.Href}" aria-current="page">{l.Text}</a></li>""")
            : Html.Of($"""<li><a href="{l.Href}">{l.Text}</a></li>""")));
}
