using System.Reflection;
using DataRights.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>The Function App's functions as their attributes declare them (what the SDK writes into functions.metadata).</summary>
internal static class FunctionCatalog
{
    public static Assembly Assembly => typeof(SharedPipeline).Assembly;

    public static IReadOnlyList<MethodInfo> Functions { get; } =
        [.. Assembly.GetTypes().SelectMany(t => t.GetMethods()).Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)];

    public static string NameOf(MethodInfo function) => function.GetCustomAttribute<FunctionAttribute>()!.Name;

    public static HttpTriggerAttribute? HttpTriggerOf(MethodInfo function) =>
        function.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);

    public static TimerTriggerAttribute? TimerTriggerOf(MethodInfo function) =>
        function.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null);

    /// <summary>The trigger type a function declares, as functions.metadata names it.</summary>
    public static string TriggerTypeOf(MethodInfo function) =>
        function.GetParameters().SelectMany(p => p.GetCustomAttributes()).Select(a => a switch
        {
            HttpTriggerAttribute => "httpTrigger",
            TimerTriggerAttribute => "timerTrigger",
            QueueTriggerAttribute => "queueTrigger",
            OrchestrationTriggerAttribute => "orchestrationTrigger",
            ActivityTriggerAttribute => "activityTrigger",
            _ => null,
        }).OfType<string>().Single();

    /// <summary>The names of the functions with the given trigger type.</summary>
    public static IReadOnlyList<string> NamesOf(string triggerType) =>
        [.. Functions.Where(f => TriggerTypeOf(f) == triggerType).Select(NameOf).Order(StringComparer.Ordinal)];

    /// <summary>"GET /api/requests/{id}" for every method of every HTTP function, as the stand-alone host writes its routes.</summary>
    public static IReadOnlyList<string> HttpRoutes() =>
        [.. Functions.Select(HttpTriggerOf).OfType<HttpTriggerAttribute>()
            .SelectMany(t => t.Methods!.Select(m => m.ToUpperInvariant() + " /" + (t.Route == Routes.Root ? string.Empty : t.Route)))
            .Order(StringComparer.Ordinal)];
}
