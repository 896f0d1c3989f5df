using DataRights.Host.Retention.Durable;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;

namespace DataRights.Host.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>The submission, request and purge orchestrations: what every host runs (the Function App wraps each in an orchestration function).</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(SubmissionOrchestrator), typeof(RequestOrchestrator), typeof(PurgeOrchestrator), typeof(PurgeSourceOrchestrator)];

    /// <summary>Their activities (the Function App wraps each in an activity function).</summary>
    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(TakeInActivity), typeof(RunWorkItemActivity), typeof(GiveUpWorkItemActivity), typeof(PlannedTimerDueActivity), typeof(RunSourceStepActivity), typeof(CheckRequestActivity), typeof(AwaitCommitActivity), typeof(EndRunActivity),
        typeof(StartPurgeRunActivity), typeof(PlanPurgeSourceActivity), typeof(PurgeBatchActivity), typeof(FinishPurgeRunActivity),
    ];

    /// <summary>
    /// The activity names the worker runs: each of <see cref="Activities"/> under its own, and <see cref="RunWorkItemActivity"/>
    /// under each journey step's too (<see cref="JourneySteps.StepActivities"/>), and <see cref="PlannedTimerDueActivity"/>
    /// under each kept timer's (<see cref="JourneySteps.TimerActivities"/>), and <see cref="RunSourceStepActivity"/> under each
    /// source step's (<see cref="JourneySteps.SourceStepActivities"/>). The Function App declares one function per name.
    /// </summary>
    public static IReadOnlyList<string> ActivityNames { get; } =
        [.. Activities.Select(NameOf).Concat(JourneySteps.StepActivities).Concat(JourneySteps.TimerActivities).Concat(JourneySteps.SourceStepActivities)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Registers <see cref="Orchestrators"/> and <see cref="ActivityNames"/> with a Durable Task worker.</summary>
    public static DurableTaskRegistry AddRequestTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        foreach (var step in JourneySteps.StepActivities.Where(name => name != RunWorkItemActivity.Name))
        {
            registry.AddActivity(new TaskName(step), typeof(RunWorkItemActivity));
        }

        foreach (var timer in JourneySteps.TimerActivities.Where(name => name != PlannedTimerDueActivity.Name))
        {
            registry.AddActivity(new TaskName(timer), typeof(PlannedTimerDueActivity));
        }

        foreach (var step in JourneySteps.SourceStepActivities.Where(name => name != RunSourceStepActivity.Name))
        {
            registry.AddActivity(new TaskName(step), typeof(RunSourceStepActivity));
        }

        return registry;
    }

    /// <summary>What the orchestrations need in every host: their options, their activities, the announcer that tells them of work, and the hourly check that every open request has one.</summary>
    public static IServiceCollection AddRequestOrchestrations(this IServiceCollection services)
    {
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestStanding>();
        services.AddSingleton<DurableCommitAnnouncer>();
        services.AddSingleton<Workflow.ICommitAnnouncer>(sp => sp.GetRequiredService<DurableCommitAnnouncer>());
        services.AddSingleton<SubmissionTakeIns>();
        services.AddSingleton<Requests.SubmissionQueue>();
        services.AddSingleton<Core.Ports.ISubmissionQueue>(sp => sp.GetRequiredService<Requests.SubmissionQueue>());
        services.AddSingleton<WorkflowCheckJob>();
        services.AddSingleton<Scheduling.IScheduledJob>(sp => sp.GetRequiredService<WorkflowCheckJob>());
        foreach (var activity in Activities)
        {
            services.AddTransient(activity);
        }

        return services;
    }

    private static string NameOf(Type task) =>
        ((DurableTaskAttribute)Attribute.GetCustomAttribute(task, typeof(DurableTaskAttribute))!).Name.Name;

    /// <summary>
    /// The stand-alone host's task hub: the local task hub (gRPC sidecar over Azure Storage), the Durable Task worker and
    /// client connected to it; and the submission queue's reader (<see cref="SubmissionQueueListener"/>).
    /// </summary>
    public static IServiceCollection AddLocalTaskHub(this IServiceCollection services)
    {
        // Registered before the worker, so the sidecar listens before the worker connects.
        var address = LocalTaskHub.ChooseAddress();

        // The notes of the steps in progress, one set per process: the task hub's steps and the hourly check's taking in.
        services.AddSingleton(sp =>
        {
            var durable = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DurableOptions>>().Value;
            return new StepNotes(
                LocalTaskHub.StepNotesFolder(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.DataRightsOptions>>().Value, durable),
                durable.StopsBeforeGivingUp,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<StepNotes>(),
                sp.GetService<TimeProvider>());
        });
        services.AddSingleton<Core.Ports.IStepNotes>(sp => sp.GetRequiredService<StepNotes>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LocalTaskHub>(sp, address));
        services.AddHostedService(sp => sp.GetRequiredService<LocalTaskHub>());

        // The drain (before the worker stops) must fit in the host's stop, with time left for the rest to stop.
        services.AddOptions<HostOptions>().PostConfigure<Microsoft.Extensions.Options.IOptions<DurableOptions>>((host, durable) =>
        {
            var needed = durable.Value.DrainTimeout + TimeSpan.FromSeconds(10);
            host.ShutdownTimeout = host.ShutdownTimeout < needed ? needed : host.ShutdownTimeout;
        });
        var channel = GrpcChannel.ForAddress(address);

        // The sidecar is in this process and sends no health pings: with the worker's default, an idle worker took its
        // stream for dead every 120 s ("stopped receiving traffic", a warning) and reconnected, and an item the sidecar
        // handed to the old stream meanwhile would wait for the worker until the process stopped. Zero turns the
        // detection off (the SDK's own setter for it, in its Internal namespace in 1.28).
        services.AddDurableTaskWorker(builder => builder
            .UseGrpc(options =>
            {
                options.Channel = channel;
                options.SetSilentDisconnectTimeout(TimeSpan.Zero);
            })
            .AddTasks(registry => registry.AddRequestTasks()));
        services.AddDurableTaskClient(builder => builder.UseGrpc(channel));

        // The submission queue's reader, as the Function App's queue trigger reads it on Azure.
        services.AddHostedService<SubmissionQueueListener>();
        return services;
    }
}
