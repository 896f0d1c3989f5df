using System.ComponentModel.DataAnnotations;
using DataRights.Core.Requests;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Hosting;

/// <summary>Cross-field rules data annotations cannot express; a bad setting stops the start with a clear message.</summary>
public sealed class DataRightsOptionsValidator : IValidateOptions<DataRightsOptions>
{
    public ValidateOptionsResult Validate(string? name, DataRightsOptions options)
    {
        var failures = new List<string>();
        if (!WireNames.TryParseJurisdiction(options.DefaultJurisdiction, out _))
        {
            failures.Add($"DataRights:DefaultJurisdiction must be one of {string.Join(", ", WireNames.AllJurisdictions)}.");
        }

        if (!string.IsNullOrEmpty(options.StatusLinkKey))
        {
            var bytes = new byte[64];
            if (!Convert.TryFromBase64String(options.StatusLinkKey, bytes, out var length) || length < 32)
            {
                failures.Add("DataRights:StatusLinkKey must be base64 of at least 32 random bytes.");
            }
        }

        foreach (var (id, key) in options.LinkKeys)
        {
            var bytes = new byte[128];
            if (!Convert.TryFromBase64String(key, bytes, out var length) || length < 32)
            {
                failures.Add($"DataRights:LinkKeys:{id} must be base64 of at least 32 random bytes.");
            }
        }

        if (string.IsNullOrEmpty(options.ActiveLinkKeyId) && options.LinkKeys.Count > 1)
        {
            // Chosen by name otherwise, k10 would sort before k9: the new key would never sign, and retiring k9 would break every link.
            failures.Add("DataRights:ActiveLinkKeyId must name the key that signs new links when DataRights:LinkKeys holds more than one.");
        }

        if (!string.IsNullOrEmpty(options.ActiveLinkKeyId) && !options.LinkKeys.ContainsKey(options.ActiveLinkKeyId))
        {
            failures.Add($"DataRights:ActiveLinkKeyId '{options.ActiveLinkKeyId}' is not one of DataRights:LinkKeys.");
        }

        // Data annotations on nested sections are not checked by ValidateDataAnnotations.
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options.Intake, new ValidationContext(options.Intake), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"DataRights:Intake:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        failures.AddRange(DeadlineConfiguration.Validate(options.Deadlines));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
