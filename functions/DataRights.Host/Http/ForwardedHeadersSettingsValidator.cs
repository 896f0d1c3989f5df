using System.Net;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Http;

/// <summary>An address or network that does not parse stops the start, named, rather than being silently skipped.</summary>
public sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettingsOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettingsOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{ForwardedHeadersSettingsOptions.Section}:KnownProxies:{i} must be an IP address, not '{options.KnownProxies[i]}'.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"{ForwardedHeadersSettingsOptions.Section}:KnownNetworks:{i} must be a network in CIDR notation (such as 10.0.0.0/8), not '{options.KnownNetworks[i]}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
