using DataRights.Host.Queue;

namespace DataRights.Host.Functions;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Running under Azure Functions: the work queue's delivery (local or Service Bus) and the function catalog.</summary>
    public static IServiceCollection AddAzureFunctionsHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWorkQueueDelivery(configuration);
        services.AddSingleton<FunctionCatalog>();
        return services;
    }
}
