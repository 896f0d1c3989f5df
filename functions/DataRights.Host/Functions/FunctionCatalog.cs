using System.Text.RegularExpressions;
using DataRights.Host.Queue;
using DataRights.Host.Scheduling;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Functions;

/// <summary>
/// Every Azure Functions function of the app, defined here once: <c>function.json</c> files are generated from it
/// (<see cref="FunctionsPackaging"/>) and <see cref="InvocationEndpoints"/> maps a handler route for each. A timer
/// function comes from each registered <see cref="IScheduledJob"/>, so a new scheduled job (a region's purge) is one
/// registration line and gets its timerTrigger with it.
/// </summary>
public sealed partial class FunctionCatalog(JobScheduler scheduler, IOptions<QueueOptions> queue)
{
    public const string Http = "http";
    public const string WorkItem = "work-item";
    public const string QueueRelay = "queue-relay";
    public const string TimerPrefix = "timer-";

    /// <summary>The trigger's connection: identity-based app settings <c>ServiceBusConnection__fullyQualifiedNamespace</c> (and <c>__clientId</c>).</summary>
    public const string ServiceBusConnection = "ServiceBusConnection";

    /// <summary>The queue name comes from the same app setting the sender reads, so the two cannot disagree.</summary>
    public const string QueueNameExpression = "%DataRights__Queue__ServiceBus__QueueName%";

    public IReadOnlyList<FunctionDefinition> All
    {
        get
        {
            List<FunctionDefinition> all =
            [
                new HttpFunction(Http),
                new ServiceBusFunction(WorkItem, QueueNameExpression, ServiceBusConnection),
                new TimerFunction(QueueRelay, queue.Value.RelaySchedule),
                .. scheduler.Jobs.Select(job => new TimerFunction(TimerPrefix + job.Name, TimerSchedules.ForUtcTrigger(job.Schedule, job.TimeZoneId))),
            ];
            if (all.FirstOrDefault(f => !ValidName().IsMatch(f.Name)) is { } bad)
            {
                throw new InvalidOperationException($"'{bad.Name}' is not a valid function name (a letter, then letters, digits, '-' or '_').");
            }

            return all;
        }
    }

    /// <summary>The job a timer function runs, if <paramref name="functionName"/> is one.</summary>
    public IScheduledJob? JobFor(string functionName) =>
        functionName.StartsWith(TimerPrefix, StringComparison.Ordinal)
            ? scheduler.Jobs.FirstOrDefault(j => j.Name == functionName[TimerPrefix.Length..])
            : null;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex ValidName();
}
