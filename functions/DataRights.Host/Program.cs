using DataRights.Host.Durable;
using DataRights.Host.Email;
using DataRights.Host.Hosting;
using DataRights.Host.Scheduling;

// The stand-alone host: the shared composition, plus what only a stand-alone process does (its own address,
// the scheduler's loop in place of timer triggers, the local mail page, the startup lines).
var builder = WebApplication.CreateBuilder(args);

builder.UseDataRightsUrls();
builder.Services.AddDataRights(builder.Configuration, builder.Environment);
builder.Services.AddJobSchedulerLoop();
builder.Services.AddLocalTaskHub();

var app = builder.Build();

app.UseDataRightsPipeline();
app.MapDataRightsEndpoints();
app.MapDevMail();
app.PrintStartupUrls();

app.Run();

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
