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

    /// <summary>
    /// ASP.NET Core's request logging in the worker: a "Request starting/finished" line with the path, and a scope
    /// holding <c>RequestPath</c> on every log written while a request runs, opened whenever this category logs at all.
    /// </summary>
    public const string RequestLoggingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection KeepInformationInApplicationInsights(IServiceCollection services) =>
        services.Configure<LoggerFilterOptions>(options =>
        {
            foreach (var warningsOnly in options.Rules.Where(rule => rule.ProviderName == ApplicationInsightsProvider && rule.CategoryName is null).ToList())
            {
                options.Rules.Remove(warningsOnly);
            }
        });

    /// <summary>
    /// Turns the worker's request logging off for every provider: a path can hold an emailed link's single-use token
    /// (verify/{token}, approve/{token}, ...), and a log kept in Application Insights would let its readers use it.
    /// One rule for all providers, and one for each provider with rules of its own (a provider's own rule wins over a
    /// rule for all providers).
    /// </summary>
    public static IServiceCollection KeepRequestPathsOutOfLogs(IServiceCollection services) =>
        services.Configure<LoggerFilterOptions>(options =>
        {
            var providers = options.Rules.Select(rule => rule.ProviderName).Append(ApplicationInsightsProvider).Append(null).Distinct().ToList();
            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider, RequestLoggingCategory, LogLevel.None, filter: null));
            }
        });
}
