using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions;

/// <summary>
/// The worker sends its own logs to Application Insights (<c>ConfigureFunctionsApplicationInsights</c>: the host no
/// longer forwards them), and the Application Insights logger provider comes with a rule that keeps only warnings:
/// without taking it out, the program's Information logs (timers fired, purges, workflow checks, orchestration steps)
/// would reach no one. The category filters the program sets still apply.
/// </summary>
public static class FunctionAppLogging
{
    public const string ApplicationInsightsProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    public static IServiceCollection KeepInformationInApplicationInsights(IServiceCollection services) =>
        services.Configure<LoggerFilterOptions>(options =>
        {
            foreach (var warningsOnly in options.Rules.Where(rule => rule.ProviderName == ApplicationInsightsProvider && rule.CategoryName is null).ToList())
            {
                options.Rules.Remove(warningsOnly);
            }
        });
}
