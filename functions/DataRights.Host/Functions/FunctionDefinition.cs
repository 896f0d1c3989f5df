using System.Text.Json.Nodes;

namespace DataRights.Host.Functions;

/// <summary>One Azure Functions function of the custom handler; <see cref="FunctionJson"/> is its generated <c>function.json</c>.</summary>
public abstract record FunctionDefinition(string Name)
{
    public abstract JsonObject FunctionJson();
}

/// <summary>
/// The one HTTP function: every route, forwarded to the handler as the request itself (host.json
/// <c>enableForwardingHttpRequest</c>), so the program's own routing serves them all.
/// </summary>
public sealed record HttpFunction(string Name) : FunctionDefinition(Name)
{
    public override JsonObject FunctionJson() => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = "anonymous",
                ["methods"] = new JsonArray("get", "post", "put", "patch", "delete", "head", "options"),
                ["route"] = "{*path}",
            },
            new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
    };
}

/// <summary>A timerTrigger; the host posts <c>{ "Data": { "timer": … }, "Metadata": … }</c> to <c>/{Name}</c> at each occurrence (UTC).</summary>
public sealed record TimerFunction(string Name, string Schedule) : FunctionDefinition(Name)
{
    public override JsonObject FunctionJson() => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = "timer",
            ["schedule"] = Schedule,
            ["runOnStartup"] = false,
            ["useMonitor"] = true,
        }),
    };
}

/// <summary>
/// A serviceBusTrigger on the work queue; the host posts each message to <c>/{Name}</c> and completes it on a 2xx
/// answer, abandons it (redelivery, then Service Bus's dead letter after maxDeliveryCount) otherwise.
/// </summary>
public sealed record ServiceBusFunction(string Name, string QueueNameExpression, string Connection) : FunctionDefinition(Name)
{
    public override JsonObject FunctionJson() => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "serviceBusTrigger",
            ["direction"] = "in",
            ["name"] = "message",
            ["queueName"] = QueueNameExpression,
            ["connection"] = Connection,
            ["isSessionsEnabled"] = false,
        }),
    };
}
