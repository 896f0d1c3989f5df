using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataRights.Integration.Tests.Azure;

/// <summary>Custom-handler payloads as the Functions host posts them (metadata strings JSON-quoted again, as it sends them).</summary>
public static class Invocations
{
    public static JsonObject Timer(bool pastDue = false) => new()
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = "2026-12-03T08:00:00+00:00",
                    ["Next"] = "2026-12-04T08:00:00+00:00",
                    ["LastUpdated"] = "2026-12-03T08:00:00+00:00",
                },
                ["IsPastDue"] = pastDue,
            },
        },
        ["Metadata"] = new JsonObject
        {
            ["sys"] = new JsonObject { ["MethodName"] = "timer-overdue-digest", ["UtcNow"] = "2026-12-04T08:00:00.0012345Z", ["RandGuid"] = "6f1c1c57-4f0a-4b3e-9e0a-2f6b7e1c9d10" },
        },
    };

    /// <summary>A serviceBusTrigger invocation: the body as the message binding, MessageId and DeliveryCount JSON-quoted.</summary>
    public static JsonObject ServiceBus(string messageId, string? body, int deliveryCount = 1) => new()
    {
        ["Data"] = new JsonObject { ["message"] = body },
        ["Metadata"] = new JsonObject
        {
            ["MessageId"] = JsonSerializer.Serialize(messageId),
            ["DeliveryCount"] = deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ContentType"] = "\"application/json\"",
            ["EnqueuedTimeUtc"] = "\"2026-11-02T09:30:00\"",
            ["sys"] = new JsonObject { ["MethodName"] = "work-item", ["UtcNow"] = "2026-11-02T09:30:01Z", ["RandGuid"] = "0c8a8c6e-7f3e-4a43-8f0e-0e8d1e5d3c21" },
        },
    };

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, string function, JsonObject payload)
    {
        var response = await client.PostAsJsonAsync(new Uri("/" + function, UriKind.Relative), payload);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
