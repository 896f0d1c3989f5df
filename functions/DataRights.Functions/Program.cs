using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions;

/// <summary>The Function App's entry point (isolated worker): the ASP.NET Core integration, Application Insights, DataRights.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        FunctionAppLogging.KeepInformationInApplicationInsights(builder.Services);
        FunctionAppLogging.KeepRequestPathsOutOfLogs(builder.Services);
        builder.Services.AddDataRightsFunctionApp(builder.Configuration, builder.Environment);

        // The Azure SDK clients log every storage call at Information and every expected miss (404, 409) as a warning;
        // the program logs the failures that matter itself.
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        builder.Logging.AddFilter("Azure.Core", LogLevel.Error);
        builder.Build().Run();
    }
}
