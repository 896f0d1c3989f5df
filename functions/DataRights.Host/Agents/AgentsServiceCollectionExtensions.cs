using DataRights.Core.Agents;
using DataRights.Events.ServiceBus;
using DataRights.Host.Sources;

namespace DataRights.Host.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// On-premises agents (docs/agent.md): the purge answers they post, and the <see cref="IAgentCommandQueue"/> chosen by
    /// configuration: Service Bus when <c>DataRights:Agents:ServiceBus</c> names a namespace or a connection string, else
    /// none (<see cref="UnconfiguredAgentCommandQueue"/>: an agent source's steps fail, saying why).
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AgentWaitedAnswers>();
        var serviceBus = configuration.GetSection(ServiceBusAgentsOptions.Section).Get<ServiceBusAgentsOptions>() ?? new ServiceBusAgentsOptions();
        if (serviceBus.IsConfigured)
        {
            services.AddServiceBusAgentCommands();
        }
        else
        {
            services.AddSingleton<IAgentCommandQueue, UnconfiguredAgentCommandQueue>();
        }

        return services;
    }
}
