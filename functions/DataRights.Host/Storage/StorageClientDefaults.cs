using Azure.Core;

namespace DataRights.Host.Storage;

/// <summary>
/// What every storage client's options get before the client is made (<see cref="StorageClientsServiceCollectionExtensions"/>):
/// the retry policy and application id, then whatever else was added here (a benchmark counting the calls adds a policy).
/// </summary>
public sealed class StorageClientDefaults
{
    /// <summary>Applied in order to each client's options, after the retry policy and the application id.</summary>
    public IList<Action<ClientOptions>> Configure { get; } = [];

    /// <summary>The retry policy and application id every storage client uses, then <see cref="Configure"/>.</summary>
    public TOptions Apply<TOptions>(TOptions options)
        where TOptions : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Diagnostics.ApplicationId = "DataRights";
        foreach (var configure in Configure)
        {
            configure(options);
        }

        return options;
    }
}
