namespace DataRights.Host.Sources;

/// <summary>A discover or export statement that would change data, refused before it runs.</summary>
public sealed class NotReadOnlyStatementException(string message) : InvalidOperationException(message);
