namespace DataRights.Host.Durable;

/// <summary>Hands a second host's log lines to the main host's logging (its providers, levels and filters).</summary>
public sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
        // The main host owns its logging.
    }
}
