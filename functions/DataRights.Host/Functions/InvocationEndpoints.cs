using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Host.Http;
using DataRights.Host.Queue;
using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Functions;

/// <summary>
/// The routes the Functions host posts non-HTTP invocations to: <c>POST /{functionName}</c> with the custom-handler
/// payload. Each is safe to call from anywhere (the catch-all HTTP function forwards public requests here too): a
/// timer runs only a job occurrence that is due and not yet run, the relay only sends what is committed, and a work
/// delivery only leases, by id, an item that is due; the item itself comes from the store, never from the message.
/// </summary>
public static class InvocationEndpoints
{
    private const int MaxPayloadBytes = 256 * 1024;

    /// <summary>How far back a job that never ran catches up when its timer fires (the trigger fires at the occurrence).</summary>
    private static readonly TimeSpan TimerFirstRunLookBack = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        var catalog = app.ServiceProvider.GetRequiredService<FunctionCatalog>();
        foreach (var function in catalog.All)
        {
            var name = function.Name;
            Func<HttpContext, string, Task<IResult>>? handler = function switch
            {
                ServiceBusFunction => DeliverAsync,
                TimerFunction when name == FunctionCatalog.QueueRelay => RelayAsync,
                TimerFunction => RunJobAsync,
                _ => null,
            };
            if (handler is null)
            {
                // The HTTP function is forwarded as the request itself: the program's routes serve it.
                continue;
            }

            Func<HttpContext, Task<IResult>> invoke = c => handler(c, name);
            var route = app.MapPost("/" + name, invoke);
            route.ExcludeFromDescription().DisableAntiforgery().WithMetadata(new FunctionInvocationMetadata(name), new Http.JsonBodyLimit(MaxPayloadBytes));
        }

        return app;
    }

    private static async Task<IResult> RunJobAsync(HttpContext context, string function)
    {
        var services = context.RequestServices;
        if (await ReadAsync(context, function) is not { } invocation || !invocation.Data.ContainsKey("timer"))
        {
            return Refused(context, function, "not a timer invocation payload");
        }

        var job = services.GetRequiredService<FunctionCatalog>().JobFor(function)!;
        var ran = await services.GetRequiredService<JobScheduler>().RunIfDueAsync(job, TimerFirstRunLookBack, context.RequestAborted);
        var outcome = ran ? $"job {job.Name} ran" : $"job {job.Name} had no occurrence due";
        Logger(context).FunctionInvoked(function, outcome);
        return Answer(outcome);
    }

    private static async Task<IResult> RelayAsync(HttpContext context, string function)
    {
        if (await ReadAsync(context, function) is null)
        {
            return Refused(context, function, "not a timer invocation payload");
        }

        if (context.RequestServices.GetService<WorkRelay>() is not { } relay)
        {
            return Answer("the work queue is local; nothing to relay");
        }

        var result = await relay.RelayAsync(context.RequestAborted);
        var outcome = $"{result.Sent} work item(s) sent, {result.Held} kept for the next sweep";
        Logger(context).FunctionInvoked(function, outcome);
        return Answer(outcome);
    }

    private static async Task<IResult> DeliverAsync(HttpContext context, string function)
    {
        var services = context.RequestServices;
        var queue = services.GetRequiredService<IOptions<QueueOptions>>().Value;
        if (!queue.UsesServiceBus)
        {
            // Misconfigured: refusing makes Service Bus redeliver and finally dead-letter, where it shows.
            return Refused(context, function, "the work queue is local (DataRights:Queue:Provider), not servicebus", StatusCodes.Status409Conflict);
        }

        if (await ReadAsync(context, function) is not { } invocation || WorkItemIdOf(invocation) is not { } id)
        {
            return Refused(context, function, "not a work item message");
        }

        var time = services.GetRequiredService<TimeProvider>();
        var workflow = services.GetRequiredService<IOptions<WorkflowOptions>>().Value;
        var delivery = await services.GetRequiredService<IWorkOutbox>().LeaseDeliveredAsync(
            id, time.GetUtcNow(), workflow.LeaseDuration, queue.DeliveryEarlyTolerance, context.RequestAborted);
        var deliveryCount = invocation.MetadataString("DeliveryCount") ?? "?";
        if (delivery.Outcome != DeliveryOutcome.Leased)
        {
            // Nothing to run now: complete the message. Whatever is still owed is sent again by the outbox.
            var why = delivery.Outcome.ToString();
            Logger(context).WorkDelivered(id, deliveryCount, why);
            return Answer($"work item {id}: {why}");
        }

        await services.GetRequiredService<WorkItemProcessor>().RunAsync(delivery.Lease!, context.RequestAborted);

        // A retry went back to the outbox: wake the relay to schedule it on the queue.
        services.GetRequiredService<WorkSignal>().Notify();
        Logger(context).WorkDelivered(id, deliveryCount, "processed");
        return Answer($"work item {id}: processed");
    }

    /// <summary>The work item a message is for: the body's <c>workItemId</c>, else the <c>MessageId</c> without a retry suffix.</summary>
    public static string? WorkItemIdOf(InvocationRequest invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var messageId = invocation.MetadataString("MessageId");
        string? fromBody = null;
        if (invocation.DataText("message") is { } text)
        {
            try
            {
                fromBody = JsonSerializer.Deserialize<WorkMessageBody>(text, JsonSerializerOptions.Web)?.WorkItemId;
            }
            catch (JsonException)
            {
                fromBody = null;
            }
        }

        var fromMessageId = messageId is null ? null : WorkMessages.WorkItemIdOf(messageId);
        if (fromBody is not null && fromMessageId is not null && fromBody != fromMessageId)
        {
            return null;
        }

        var id = fromBody ?? fromMessageId;
        return id is { Length: > 0 and <= 200 } ? id : null;
    }

    private static async Task<InvocationRequest?> ReadAsync(HttpContext context, string function)
    {
        var body = await BoundedBody.ReadAsync(context.Request, MaxPayloadBytes, context.RequestAborted);
        if (body is null)
        {
            return null;
        }

        var invocation = InvocationRequest.Parse(body, out var error);
        if (invocation is null)
        {
            Logger(context).FunctionRefused(function, error!);
        }

        return invocation;
    }

    private static IResult Answer(string log) => TypedResults.Json(InvocationResponse.Of(log), JsonSerializerOptions.Default);

    private static IResult Refused(HttpContext context, string function, string reason, int status = StatusCodes.Status400BadRequest)
    {
        Logger(context).FunctionRefused(function, reason);
        return TypedResults.Problem(title: "Not an invocation this function accepts", detail: reason, statusCode: status);
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("DataRights.Host.Functions");
}

/// <summary>Marks an endpoint as the handler route of a function (tests check every function has one).</summary>
public sealed record FunctionInvocationMetadata(string FunctionName);
