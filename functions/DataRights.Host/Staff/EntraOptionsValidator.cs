using Microsoft.Extensions.Options;

namespace DataRights.Host.Staff;

/// <summary>Half a configuration is refused at start: a tenant without an audience would silently leave staff signed out.</summary>
public sealed class EntraOptionsValidator : IValidateOptions<EntraOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraOptions options)
    {
        var failures = new List<string>();
        var tenant = !string.IsNullOrWhiteSpace(options.TenantId);
        var audience = !string.IsNullOrWhiteSpace(options.Audience);
        if (tenant != audience)
        {
            failures.Add("DataRights:Entra:TenantId and DataRights:Entra:Audience are set together (or both left empty to turn Entra ID sign-in off).");
        }

        if (tenant && !Guid.TryParse(options.TenantId, out _))
        {
            failures.Add("DataRights:Entra:TenantId must be the directory (tenant) id, a GUID.");
        }

        // Plain http only on loopback: a local stand-in for Entra ID (tests); metadata and keys are otherwise fetched over https.
        if (!Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance) || (instance.Scheme != Uri.UriSchemeHttps && !options.IsLoopbackInstance))
        {
            failures.Add("DataRights:Entra:Instance must be an https address such as https://login.microsoftonline.com/ (http only on a loopback address, for a local test provider).");
        }

        if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            if (!options.ClientSecret.StartsWith("env:", StringComparison.Ordinal) && !options.ClientSecret.StartsWith("keyvault:", StringComparison.Ordinal))
            {
                failures.Add("DataRights:Entra:ClientSecret must be a secret reference, env:NAME or keyvault:NAME, never the secret itself.");
            }

            if (!tenant || !audience || string.IsNullOrWhiteSpace(options.ClientId))
            {
                failures.Add("DataRights:Entra:ClientSecret (browser sign-in of approvers) needs DataRights:Entra:TenantId, DataRights:Entra:Audience and DataRights:Entra:ClientId.");
            }
        }

        if (options.SignInLifetime < TimeSpan.FromMinutes(5) || options.SignInLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("DataRights:Entra:SignInLifetime must be between 00:05:00 and 1.00:00:00 (8 hours by default).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
