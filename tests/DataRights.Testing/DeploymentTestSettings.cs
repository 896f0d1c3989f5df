namespace DataRights.Testing;

/// <summary>
/// What the program requires outside Development (a public https base address, the operator's identity, approvers
/// and shared keys), as settings for a test host that runs as Production.
/// </summary>
public static class DeploymentTestSettings
{
    public const string PublicBaseUrl = "https://privacy.example.test";

    public static Dictionary<string, string?> Settings()
    {
        var settings = SharedTestKeys.Settings();
        settings["DataRights:PublicBaseUrl"] = PublicBaseUrl;
        settings["DataRights:OperatorName"] = "Example Telecom Ltd";
        settings["DataRights:OperatorAddress"] = "1 Example Street, London EC1A 1AA, United Kingdom";
        settings["DataRights:PrivacyContactEmail"] = "privacy@example.com";
        settings["DataRights:Workflow:Approvers:0"] = "approver@example.com";
        settings["DataRights:Workflow:FallbackApprover"] = "dpo@example.com";
        settings["DataRights:Workflow:StaffAlerts"] = "privacy-team@example.com";
        return settings;
    }
}
