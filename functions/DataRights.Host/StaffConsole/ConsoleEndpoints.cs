using DataRights.Host.StaffConsole.Admin;

namespace DataRights.Host.StaffConsole;

/// <summary>The staff console at <c>/staff</c>: plain HTML pages over the same workflow and stores as the staff API.</summary>
public static class ConsoleEndpoints
{
    public static IEndpointRouteBuilder MapStaffConsole(this IEndpointRouteBuilder app)
    {
        app.MapConsoleSignIn();
        app.MapGet(ConsoleRoutes.Inbox, InboxPage.ShowAsync).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.Requests + "{id}", RequestPage.ShowAsync).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.Requests + "{id}/evidence", EvidencePages.HtmlAsync).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.Requests + "{id}/evidence.pdf", EvidencePages.PdfAsync).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.Requests + "{id}/emails/{messageId}", EmailCopyPage.ShowAsync).ExcludeFromDescription();
        app.MapGet(ConsoleRoutes.SetAside, SetAsidePage.ShowAsync).ExcludeFromDescription();
        app.MapPost(ConsoleRoutes.SetAside + "/{id}/try-again", SetAsidePage.TryAgainAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapPost(ConsoleRoutes.SetAside + "/{id}/remove", SetAsidePage.RemoveAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet(ConsoleRoutes.HandledCsv, SetAsidePage.HandledCsvAsync).ExcludeFromDescription();
        app.MapGet(MetricsPage.Route, MetricsPage.ShowAsync).ExcludeFromDescription();
        app.MapGet(MetricsPage.CcpaRoute, MetricsPage.CcpaCsvAsync).ExcludeFromDescription();
        app.MapPost(ConsoleRoutes.Requests + "{id}/{action}", RequestActions.ApplyAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapConsoleAdmin();
        return app;
    }
}
