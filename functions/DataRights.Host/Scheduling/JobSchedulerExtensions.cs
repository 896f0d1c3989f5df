namespace DataRights.Host.Scheduling;

public static class JobSchedulerExtensions
{
    /// <summary>Stand-alone only: the scheduler's own loop runs the jobs (the Function App's timer functions do it there).</summary>
    public static IServiceCollection AddJobSchedulerLoop(this IServiceCollection services)
    {
        services.AddHostedService<JobSchedulerLoop>();
        return services;
    }
}
