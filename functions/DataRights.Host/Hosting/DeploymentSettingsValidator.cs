using Microsoft.Extensions.Options;

namespace DataRights.Host.Hosting;

/// <summary>
/// Outside Development the program refuses to start without what a real deployment needs, naming each missing
/// setting: the code defaults (example operator, example approvers, key files made on first run, links built from
/// the incoming Host header) exist for the local try-out only.
/// </summary>
public sealed class DeploymentSettingsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<DataRightsOptions>
{
    /// <summary>The settings a deployment must give itself, each with why.</summary>
    public static IReadOnlyList<(string Setting, string Why)> Required { get; } =
    [
        ("DataRights:PublicBaseUrl", "the https address links in emails point to (never taken from the request's Host header)"),
        ("DataRights:OperatorName", "the controller's name on every page and message"),
        ("DataRights:OperatorAddress", "the controller's postal address in every message"),
        ("DataRights:PrivacyContactEmail", "where people can write about privacy"),
        ("DataRights:Workflow:Approvers", "who is asked to approve"),
        ("DataRights:Workflow:FallbackApprover", "who is asked when approvers do not answer"),
        ("DataRights:Workflow:StaffAlerts", "where deadline and failure alerts go"),
        ("DataRights:StatusLinkKey", "the key that signs status links"),
        ("DataRights:LinkKeys", "the keys that sign emailed links"),
        ("DataRights:ExportKey", "the key that seals exports (env:NAME)"),
        ("DataRights:MaskKey", "the key of keyed-hash masks (env:NAME)"),
        ("DataRights:Verification:HashKey", "the key of the keyed hashes of verification details and addresses, which the inbox's address search and the per-address verification limit compare across instances (env:NAME)"),
    ];

    public ValidateOptionsResult Validate(string? name, DataRightsOptions options)
    {
        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var failures = Required
            .Where(r => !HasValue(configuration.GetSection(r.Setting)))
            .Select(r => $"{r.Setting} must be set outside Development: {r.Why}.")
            .ToList();
        if (!string.IsNullOrEmpty(options.PublicBaseUrl)
            && (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("DataRights:PublicBaseUrl must be an https address outside Development.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasValue(IConfigurationSection section) =>
        !string.IsNullOrWhiteSpace(section.Value) || section.GetChildren().Any(HasValue);
}
