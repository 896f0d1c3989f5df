using DataRights.Agent;

// The on-premises agent: settings from appsettings.json beside it and the environment (DataRights__Agent__...).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWindowsService(options => options.ServiceName = "DataRights Agent");
builder.Services.AddSystemd();
builder.Services.AddAgent();
builder.Build().Run();
