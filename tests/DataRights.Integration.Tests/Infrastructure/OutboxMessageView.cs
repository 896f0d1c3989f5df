namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>The text of an email and the one link a test follows from it.</summary>
public sealed record OutboxMessageView(string Text, string Link)
{
    public string PathOfLink(string segment) => Link.Contains(segment, StringComparison.Ordinal) ? Link : throw new InvalidOperationException($"No {segment} link.");
}
