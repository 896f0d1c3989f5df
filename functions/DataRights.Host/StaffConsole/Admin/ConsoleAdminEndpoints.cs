namespace DataRights.Host.StaffConsole.Admin;

/// <summary>The console's administrator pages: sources, legal holds, the suppression check, retention policies and purge reports.</summary>
public static class ConsoleAdminEndpoints
{
    public static IEndpointRouteBuilder MapConsoleAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet(AdminRoutes.Sources, SourcesPage.ShowAsync).ExcludeFromDescription();
        app.MapPost(AdminRoutes.Sources + "/{key}/test", SourcesPage.TestAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet(AdminRoutes.Holds, HoldsPage.ShowAsync).ExcludeFromDescription();
        app.MapPost(AdminRoutes.Holds, HoldsPage.PlaceAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost(AdminRoutes.Holds + "/{id}/lift", HoldsPage.LiftAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet(AdminRoutes.Suppression, SuppressionPage.ShowAsync).ExcludeFromDescription();
        app.MapPost(AdminRoutes.Suppression, SuppressionPage.CheckAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet(AdminRoutes.Retention, RetentionPage.ShowAsync).ExcludeFromDescription();
        app.MapGet(AdminRoutes.Purges, PurgesPage.ListAsync).ExcludeFromDescription();
        app.MapGet(AdminRoutes.Purges + "/{id}.csv", PurgesPage.CsvAsync).ExcludeFromDescription();
        app.MapGet(AdminRoutes.Purges + "/{id}", PurgesPage.ReportAsync).ExcludeFromDescription();
        return app;
    }
}
