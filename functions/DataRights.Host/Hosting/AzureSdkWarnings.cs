using System.Diagnostics.Tracing;
using Azure.Core.Diagnostics;

namespace DataRights.Host.Hosting;

/// <summary>
/// Forwards the Azure SDK's own warnings and errors (its event sources: <c>Azure-Core</c>, <c>Azure-Identity</c>,
/// <c>Azure-Messaging-ServiceBus</c>...) to the program's logs, under the source's name with dots (<c>Azure.Core</c>),
/// where the logging levels filter them as before. It listens at <see cref="EventLevel.Warning"/> only: the forwarder
/// <c>AddAzureClients</c> starts listens at Verbose, which makes every storage call in the process (the task hub's
/// included) format and sanitise its request and response headers into an event the logs then drop ("Azure": Warning),
/// about 5% of the process's CPU under load (measured 2026-12-05 with dotnet-trace on the intake benchmark).
/// </summary>
public sealed class AzureSdkWarnings(ILoggerFactory loggers) : IHostedService, IDisposable
{
    private AzureEventSourceListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener ??= new AzureEventSourceListener(Forward, EventLevel.Warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    /// <summary>The logger category for an SDK event source: its name with dots for dashes (<c>Azure-Core</c> is <c>Azure.Core</c>).</summary>
    public static string Category(string eventSourceName) => eventSourceName.Replace('-', '.');

    private void Forward(EventWrittenEventArgs e, string message)
    {
        var logger = loggers.CreateLogger(Category(e.EventSource.Name));
        var level = e.Level switch
        {
            EventLevel.Critical => LogLevel.Critical,
            EventLevel.Error => LogLevel.Error,
            _ => LogLevel.Warning,
        };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, new EventId(e.EventId, e.EventName), message, null, static (text, _) => text);
        }
    }
}
