namespace DataRights.Testing.ServiceBus;

/// <summary>A message the stand-in's topic kept: what a subscriber would receive.</summary>
public sealed record ReceivedMessage(
    string Topic,
    string MessageId,
    string? ContentType,
    string? Subject,
    byte[] Body,
    IReadOnlyDictionary<string, object?> ApplicationProperties,
    DateTimeOffset EnqueuedAt)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
