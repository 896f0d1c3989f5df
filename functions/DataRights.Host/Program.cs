using DataRights.Host.Durable;
using DataRights.Host.Email;
using DataRights.Host.Exports;
using DataRights.Host.Functions;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Host.Http;
using DataRights.Host.Pages;
using DataRights.Host.Requests;
using DataRights.Host.Retention;
using DataRights.Host.Sources;
using DataRights.Host.Staff;
using DataRights.Host.Storage;
using DataRights.Host.Workflow;

var builder = WebApplication.CreateBuilder(args);

builder.UseDataRightsUrls();
builder.Services.AddDataRightsOptions();
builder.Services.AddDataRightsHttp();
builder.Services.AddIntake();
builder.Services.AddWorkflow(builder.Configuration);
builder.Services.AddRetention();
builder.Services.AddDataRightsStorage(builder.Configuration);
builder.Services.AddStaffAuthentication();
builder.Services.AddApproverSignIn(builder.Configuration);
builder.Services.AddAzureFunctionsHosting(builder.Configuration);
builder.Services.AddDurableRequests(builder.Configuration);

var app = builder.Build();

app.UseDataRightsHttp();
app.UseAuthentication();
app.UseAuthorization();

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
app.MapDevMail();
app.MapFunctionInvocations();
app.MapDataRightsOpenApi();
app.PrintStartupUrls();

if (FunctionsPackaging.WriteIfAsked(app, args))
{
    return;
}

app.Run();

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
