namespace DataRights.Testing.Http;

/// <summary>One call the slow source received: which operation, for which request, when; and when it answered (null: cut off or still open).</summary>
public sealed class SlowSourceCall(string operation, string requestId, DateTimeOffset receivedAt)
{
    public string Operation { get; } = operation;

    public string RequestId { get; } = requestId;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public DateTimeOffset? AnsweredAt { get; set; }
}
