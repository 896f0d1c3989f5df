using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Http;

/// <summary>
/// <c>DataRights:ForwardedHeaders</c>: the proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// believed, so per-client limits key on the real caller. Off (no header believed) while both lists are empty.
/// </summary>
public sealed class ForwardedHeadersSettingsOptions
{
    public const string Section = "DataRights:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the program (e.g. <c>127.0.0.1</c> for the Functions host).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies, in CIDR notation (e.g. the AzureFrontDoor.Backend ranges).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies, from the nearest, are taken off <c>X-Forwarded-For</c> (each must be known).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
