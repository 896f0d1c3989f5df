using System.Collections.Concurrent;
using DataRights.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// The Function App's Information logs reach Application Insights (the provider's own warnings-only rule is taken out),
/// and no log carries a request's path, where an emailed link's single-use token travels.
/// </summary>
public sealed class FunctionAppLoggingTests
{
    private const string Token = "eyJ2IjoxLCJwIjoidmVyaWZ5In0.c2lnbmF0dXJl";

    [Fact]
    public void ApplicationInsights_KeepsInformation_OnceTheProvidersWarningsOnlyRuleIsTakenOut()
    {
        var services = new ServiceCollection();
        services.AddApplicationInsightsTelemetryWorkerService();
        Assert.Contains(WarningsOnly(services), rule => rule.LogLevel == LogLevel.Warning);

        FunctionAppLogging.KeepInformationInApplicationInsights(services);

        Assert.Empty(WarningsOnly(services));
    }

    [Fact]
    public void ApplicationInsights_RequestLogging_IsOff_WhileTheProgramsInformationIsKept()
    {
        // As Program.cs composes it. ASP.NET Core opens its request scope (RequestPath) only when its category logs at all.
        var services = new ServiceCollection();
        services.AddApplicationInsightsTelemetryWorkerService();
        FunctionAppLogging.KeepInformationInApplicationInsights(services);
        FunctionAppLogging.KeepRequestPathsOutOfLogs(services);
        using var provider = services.BuildServiceProvider();
        var loggers = provider.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(FunctionAppLogging.RequestLoggingCategory).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("DataRights.Host.Workflow").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task LinkRequest_LeavesItsTokenInNoLogLineAndNoScope()
    {
        var recorder = new RecordingLoggerProvider();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(recorder);
        // A provider with a rule of its own at Information, as the Function App runs Application Insights: a provider's own
        // rule wins over one for all providers.
        builder.Logging.AddFilter<RecordingLoggerProvider>(category: null, LogLevel.Information);
        FunctionAppLogging.KeepRequestPathsOutOfLogs(builder.Services);
        await using var app = builder.Build();
        app.MapGet("/verify/{token}", (string token, ILoggerFactory logs) =>
        {
            logs.CreateLogger("DataRights.Host.Links").LogInformation("Verification page served");
            return token.Length;
        });
        await app.StartAsync();

        using var response = await app.GetTestClient().GetAsync(new Uri("/verify/" + Token, UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Contains(recorder.Lines, line => line.Contains("Verification page served", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Lines, line => line.Contains(Token, StringComparison.Ordinal));
    }

    private static List<LoggerFilterRule> WarningsOnly(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules
            .Where(rule => rule.ProviderName == FunctionAppLogging.ApplicationInsightsProvider && rule.CategoryName is null)];
    }

    /// <summary>Every message written, with every scope around it, as one line each (what a log sink would keep).</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new List<string> { category, formatter(state, exception) };
                owner._scopes.ForEachScope((scope, parts) => parts.Add(scope is IEnumerable<KeyValuePair<string, object?>> values
                    ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))
                    : scope?.ToString() ?? string.Empty), line);
                owner.Lines.Enqueue(string.Join(" | ", line));
            }
        }
    }
}
