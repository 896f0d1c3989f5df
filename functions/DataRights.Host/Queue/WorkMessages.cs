using System.Globalization;
using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Queue.ServiceBus;

namespace DataRights.Host.Queue;

/// <summary>
/// The queue message for a work item: keys only (the item itself stays in the store, which the delivery leases by
/// id). <c>MessageId</c> is the work item id, for Service Bus duplicate detection; an item sent again after failed
/// attempts gets <c>#n</c> appended, or duplicate detection would drop the retry as a repeat of the first send.
/// </summary>
public static class WorkMessages
{
    public static ServiceBusOutboundMessage For(OutboxItem item, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        var body = JsonSerializer.SerializeToUtf8Bytes(new WorkMessageBody(item.Item.Id, item.Item.RequestId, item.Item.Kind), JsonSerializerOptions.Web);
        return new ServiceBusOutboundMessage(
            MessageIdFor(item.Item.Id, item.Attempts),
            body,
            "application/json",
            item.Item.NotBefore > now ? item.Item.NotBefore : null,
            item.Item.Kind);
    }

    public static string MessageIdFor(string workItemId, int attempts) =>
        attempts == 0 ? workItemId : workItemId + "#" + attempts.ToString(CultureInfo.InvariantCulture);

    /// <summary>The work item id a message id names (without a retry suffix).</summary>
    public static string WorkItemIdOf(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var hash = messageId.LastIndexOf('#');
        return hash > 0 && messageId.AsSpan(hash + 1).ToString().All(char.IsAsciiDigit) && hash < messageId.Length - 1 ? messageId[..hash] : messageId;
    }
}

/// <summary>The JSON body of a work message. A queued shape: never changed incompatibly.</summary>
public sealed record WorkMessageBody(string WorkItemId, string RequestId, string Kind);
