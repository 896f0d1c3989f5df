using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure;
using Azure.Data.Tables;
using DataRights.Host.Hosting;
using DataRights.Host.Storage;
using DataRights.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// The storage clients' SDK events: warnings and errors reach the program's logs under the SDK's name, and nothing
/// listens below that, so a storage call does not format its headers into an event the logs would drop (the log
/// forwarder <c>AddAzureClients</c> starts listened at Verbose).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureSdkWarningsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AStorageWarning_IsLogged_AndTheSdkIsNotAskedForItsInformationalEvents()
    {
        var logged = new ConcurrentQueue<(string Category, LogLevel Level, string Message)>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(azurite.HostSettings()).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.AddProvider(new Recording(logged)))
            .AddDataRightsStorage(configuration)
            .BuildServiceProvider();
        var warnings = Assert.Single(services.GetServices<IHostedService>().OfType<AzureSdkWarnings>());
        await warnings.StartAsync(CancellationToken.None);
        try
        {
            var table = services.GetRequiredService<TableServiceClient>().GetTableClient("NoSuchTable" + Guid.NewGuid().ToString("N")[..8]);
            var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync<TableEntity>("p", "r"));
            Assert.Equal(404, missing.Status);

            var warning = Assert.Single(logged, l => l.Category == "Azure.Core" && l.Message.Contains("404", StringComparison.Ordinal));
            Assert.Equal(LogLevel.Warning, warning.Level);
            var core = Assert.Single(EventSource.GetSources(), s => s.Name == "Azure-Core");
            Assert.True(core.IsEnabled(EventLevel.Warning, EventKeywords.All));
            Assert.False(core.IsEnabled(EventLevel.Informational, EventKeywords.All));
        }
        finally
        {
            await warnings.StopAsync(CancellationToken.None);
        }
    }

    private sealed class Recording(ConcurrentQueue<(string, LogLevel, string)> logged) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logged);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> logged) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logged.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
