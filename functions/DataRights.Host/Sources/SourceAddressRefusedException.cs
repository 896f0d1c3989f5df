namespace DataRights.Host.Sources;

/// <summary>A source call refused before connecting, because of where its host resolves to.</summary>
public sealed class SourceAddressRefusedException(string message) : IOException(message);
