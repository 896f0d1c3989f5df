using DataRights.Functions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>The Function App's Information logs reach Application Insights: the provider's own warnings-only rule is taken out.</summary>
public sealed class FunctionAppLoggingTests
{
    [Fact]
    public void ApplicationInsights_KeepsInformation_OnceTheProvidersWarningsOnlyRuleIsTakenOut()
    {
        var services = new ServiceCollection();
        services.AddApplicationInsightsTelemetryWorkerService();
        Assert.Contains(WarningsOnly(services), rule => rule.LogLevel == LogLevel.Warning);

        FunctionAppLogging.KeepInformationInApplicationInsights(services);

        Assert.Empty(WarningsOnly(services));
    }

    private static List<LoggerFilterRule> WarningsOnly(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules
            .Where(rule => rule.ProviderName == FunctionAppLogging.ApplicationInsightsProvider && rule.CategoryName is null)];
    }
}
