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

        if (!Uri.TryCreate(options.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("DataRights:Entra:Instance must be an https address such as https://login.microsoftonline.com/.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
