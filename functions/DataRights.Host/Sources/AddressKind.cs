namespace DataRights.Host.Sources;

/// <summary>Kinds of address for <see cref="SourceAddresses"/>.</summary>
public enum AddressKind
{
    Public,

    /// <summary>Loopback and private ranges: allowed in Development or for an allowed host.</summary>
    Internal,

    /// <summary>Link-local, unspecified, broadcast, multicast: never.</summary>
    Forbidden,
}
