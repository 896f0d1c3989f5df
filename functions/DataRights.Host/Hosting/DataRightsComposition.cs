using DataRights.Host.Agents;
using DataRights.Host.Durable;
using DataRights.Host.Events;
using DataRights.Host.Exports;
using DataRights.Host.Http;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Requests;
using DataRights.Host.Retention;
using DataRights.Host.Sources;
using DataRights.Host.Staff;
using DataRights.Host.StaffConsole;
using DataRights.Host.StaffConsole.Evidence;
using DataRights.Host.Storage;
using DataRights.Host.Verification;
using DataRights.Host.Workflow;

namespace DataRights.Host.Hosting;

/// <summary>
/// The one composition of DataRights, shared by the stand-alone host (Program.cs) and the Azure Functions app, so
/// both register the same services, run the same middleware and route to the same endpoint handlers.
/// </summary>
public static class DataRightsComposition
{
    /// <summary>Every service, hosted service and option of DataRights (stand-alone extras stay in Program.cs).</summary>
    public static IServiceCollection AddDataRights(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddDataRightsOptions();
        services.AddDataRightsHttp();
        services.AddIntake();
        services.AddWorkflow(configuration);
        services.AddVerification();
        services.AddEvents(configuration);
        services.AddAgents(configuration);
        services.AddRetention();
        services.AddDataRightsStorage(configuration);
        services.AddStaffAuthentication();
        services.AddApproverSignIn(configuration);
        services.AddEvidencePack();
        services.AddRequestOrchestrations();
        return services;
    }

    /// <summary>
    /// The middleware in front of the endpoints, in order: routing, antiforgery, then forwarded headers, the exception
    /// handler, security headers, the JSON body guard and status-code pages, then authentication and authorization.
    /// </summary>
    public static IApplicationBuilder UseDataRightsPipeline(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.UseAntiforgery();
        app.UseDataRightsHttp();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Every public and staff endpoint (the Function App has one HTTP function per route listed here).</summary>
    public static IEndpointRouteBuilder MapDataRightsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealth();
        app.MapIntakePages();
        app.MapRequestsApi();
        app.MapStatus();
        app.MapLinkPages();
        app.MapApproverSignIn();
        app.MapTaskPages();
        app.MapPurgeTaskPages();
        app.MapConnectorCallbacks();
        app.MapDownloadPages();
        app.MapAdminRequests();
        app.MapStaffWorkflow();
        app.MapSources();
        app.MapLegalHolds();
        app.MapSuppressions();
        app.MapRestrictions();
        app.MapRetentionPolicies();
        app.MapPurges();
        app.MapStaffConsole();
        app.MapDataRightsOpenApi();
        return app;
    }
}
