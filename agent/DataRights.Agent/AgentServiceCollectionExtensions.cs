using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>The agent's settings (validated at start), its sources, the command handler, the callback client, and the Service Bus client.</summary>
    public static IServiceCollection AddAgent(this IServiceCollection services)
    {
        // A relative folder is the program's own (its content root), never the process's working folder: a Windows service
        // runs in System32.
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section)
            .PostConfigure<IHostEnvironment>((o, host) => o.StateDirectory = InContentRoot(o.StateDirectory, host)!)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AgentSourcesOptions>().BindConfiguration(AgentSourcesOptions.Section)
            .PostConfigure<IHostEnvironment>((o, host) => o.Folder = InContentRoot(o.Folder, host));
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentSources>();
        services.AddSingleton<IAnswerStore, FileAnswerStore>();
        services.AddSingleton<AgentCommandHandler>();
        services.AddHttpClient<CallbackClient>(client => client.Timeout = TimeSpan.FromSeconds(100))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<CommandProcessor>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value.ServiceBus;
            var clientOptions = new ServiceBusClientOptions { Identifier = "DataRights-agent" };
            return !string.IsNullOrWhiteSpace(o.ConnectionString)
                ? new ServiceBusClient(o.ConnectionString, clientOptions)
                : new ServiceBusClient(o.FullyQualifiedNamespace, new DefaultAzureCredential(), clientOptions);
        });
        services.AddHostedService<AgentWorker>();
        return services;
    }

    /// <summary><paramref name="folder"/> as a full path, a relative one taken from the program's content root; empty stays empty (validation names it).</summary>
    private static string? InContentRoot(string? folder, IHostEnvironment host) =>
        string.IsNullOrWhiteSpace(folder) ? folder : Path.GetFullPath(folder, host.ContentRootPath);
}
