using DataRights.Core.Ports;
using DataRights.Functions.Durable;
using DataRights.Functions.Http;
using DataRights.Functions.Timers;
using DataRights.Host.Durable;
using DataRights.Host.Hosting;
using DataRights.Host.Workflow;
using DataRights.Storage.AzureTables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Functions;

public static class FunctionAppServiceCollectionExtensions
{
    /// <summary>
    /// DataRights' shared composition, the one pipeline every HTTP function hands its request to, the check that
    /// the configured digest schedule falls on its timer, and host.json's task hub visibility timeout. The store initializers run in the worker as in the stand-alone
    /// host; the scheduler's loop does not (timers drive the jobs).
    /// </summary>
    public static IServiceCollection AddDataRightsFunctionApp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddDataRights(configuration, environment);

        services.AddSingleton<SharedPipeline>();
        services.AddSingleton<IValidateOptions<WorkflowOptions>, DigestTimerValidator>();

        // The task hub is the Durable extension's, set in host.json: its visibility timeout, not the local task hub's, says
        // when a new orchestration's start message held by a dead process comes back.
        var visibility = TaskHubSettings.VisibilityTimeout(Path.Combine(AppContext.BaseDirectory, "host.json"));
        services.PostConfigure<DurableOptions>(options => options.VisibilityTimeout = visibility);

        // The notes of the steps this worker has in progress (its activities', ActivityStepGuard, and the workflow check's
        // own taking in), in the store every instance shares. A worker stopped in order (the Functions host's drain on
        // scale-in or a deployment) lets go of them: a step it cut off is not counted as one that stopped it.
        services.AddSingleton<IStepNotes>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DurableOptions>>().Value;
            var notes = new AzureTableStepNotes(sp.GetRequiredService<AzureTableStore>(), options.HubName, options.StopsBeforeGivingUp, sp.GetService<TimeProvider>());
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => LetGo(notes));
            return notes;
        });
        services.AddSingleton<ActivityStepGuard>();
        return services;
    }

    // The host calls back synchronously as it stops; the store gets a few seconds (notes left behind count one stop each).
    private static void LetGo(IStepNotes notes)
    {
        try
        {
            Task.Run(() => notes.LetGoOfThisRunAsync(CancellationToken.None)).Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Unreachable as it stops: the notes this run is on stay, and count this stop.
        }
    }
}
