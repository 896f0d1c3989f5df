using System.Globalization;
using System.Text.Json;

namespace DataRights.Functions.Durable;

/// <summary>
/// The task hub settings the Durable extension reads from host.json, which the program's own code needs too: how long a
/// message a dead process took stays hidden (<c>extensions.durableTask.storageProvider</c>'s control and work-item queue
/// visibility timeouts). The announcer takes a new orchestration still Pending after two of these to be running; on
/// Azure that is host.json's value, not the local task hub's <c>DataRights:Durable:VisibilityTimeout</c>.
/// </summary>
public static class TaskHubSettings
{
    /// <summary>The Azure Storage provider's default for both queues, when host.json sets neither.</summary>
    public static readonly TimeSpan DefaultVisibilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longer of host.json's two queue visibility timeouts (each defaulting to the provider's); the default when the file is absent.</summary>
    public static TimeSpan VisibilityTimeout(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return DefaultVisibilityTimeout;
        }

        using var host = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var provider = host.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("durableTask", out var durable)
            && durable.TryGetProperty("storageProvider", out var found)
            ? found
            : default;
        return Max(Read(provider, "controlQueueVisibilityTimeout"), Read(provider, "workItemQueueVisibilityTimeout"));
    }

    private static TimeSpan Read(JsonElement provider, string name) =>
        provider.ValueKind == JsonValueKind.Object && provider.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : DefaultVisibilityTimeout;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
