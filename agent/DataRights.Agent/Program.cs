namespace DataRights.Agent;

/// <summary>The on-premises agent's entry point: settings from appsettings.json beside it and the environment (<c>DataRights__Agent__...</c>).</summary>
public static class AgentProgram
{
    public static void Main(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args);
        builder.Services.AddWindowsService(options => options.ServiceName = "DataRights Agent");
        builder.Services.AddSystemd();
        builder.Services.AddAgent();
        builder.Build().Run();
    }
}
