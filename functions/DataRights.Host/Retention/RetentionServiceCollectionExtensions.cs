using DataRights.Host.Retention.Durable;
using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Retention: the policy store and its seeding, purge runs (one timer job per region, each starting an orchestration) and follow-up erasures.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddSingleton<FollowUpErasures>();
        services.AddSingleton<ISourceExecutedHook>(sp => sp.GetRequiredService<FollowUpErasures>());
        services.AddSingleton<ManualPurgeTasks>();
        services.AddSingleton<PurgeSteps>();
        services.AddSingleton<PurgeOrchestrations>();
        foreach (var region in PurgeRegions.All)
        {
            services.AddSingleton<IScheduledJob>(sp => ActivatorUtilities.CreateInstance<PurgeJob>(sp, region));
        }

        services.AddHostedService<RetentionPolicyInitializer>();
        return services;
    }
}
