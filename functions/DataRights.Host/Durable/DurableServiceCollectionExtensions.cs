using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

namespace DataRights.Host.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>The orchestrations and activities every host registers (the Function App wraps the same ones in functions).</summary>
    public static DurableTaskRegistry AddRequestTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<RequestOrchestrator>()
            .AddActivity<RunWorkItemActivity>()
            .AddActivity<GiveUpWorkItemActivity>()
            .AddActivity<CheckRequestActivity>();
    }

    /// <summary>
    /// With <c>DataRights:Durable:Enabled</c>: request orchestrations carry each request's work, on the local task hub
    /// (sidecar over Azure Storage), with the relay handing them committed work. Off: the in-process workers do.
    /// </summary>
    public static IServiceCollection AddDurableRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestStanding>();
        services.AddSingleton<DurableWorkRelay>();
        var options = configuration.GetSection(DurableOptions.Section).Get<DurableOptions>() ?? new DurableOptions();
        if (!options.Enabled)
        {
            return services;
        }

        // Registered before the worker, so the sidecar listens before the worker connects.
        var address = LocalTaskHub.ChooseAddress();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LocalTaskHub>(sp, address));
        services.AddHostedService(sp => sp.GetRequiredService<LocalTaskHub>());
        var channel = GrpcChannel.ForAddress(address);
        services.AddDurableTaskWorker(builder => builder.UseGrpc(channel).AddTasks(registry => registry.AddRequestTasks()));
        services.AddDurableTaskClient(builder => builder.UseGrpc(channel));
        services.AddHostedService<DurableWorkRelayService>();
        return services;
    }
}
