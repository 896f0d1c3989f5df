using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables;

/// <summary>The retry, diagnostics and transport settings every storage client of ours gets (Table and Blob alike).</summary>
public static class StorageClientOptions
{
    /// <summary>Retries with exponential backoff, the application id in the user agent, and the transport if one is set.</summary>
    public static T Apply<T>(T options, int maxRetries, TimeSpan networkTimeout, HttpPipelineTransport? transport)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = networkTimeout;
        options.Diagnostics.ApplicationId = "DataRights";
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }
}
