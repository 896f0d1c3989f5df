using System.Security.Cryptography;

namespace DataRights.Testing;

/// <summary>
/// The keys a deployment on shared storage must configure (link, status link, export, mask and verification hash keys), as
/// settings for a test host: one random key per test process, the secret references pointing at an
/// environment variable this sets.
/// </summary>
public static class SharedTestKeys
{
    public const string Variable = "DATARIGHTS_TEST_SHARED_KEY";

    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> Settings()
    {
        Environment.SetEnvironmentVariable(Variable, Key);
        return new Dictionary<string, string?>
        {
            ["DataRights:LinkKeys:t1"] = Key,
            ["DataRights:StatusLinkKey"] = Key,
            ["DataRights:ExportKey"] = "env:" + Variable,
            ["DataRights:MaskKey"] = "env:" + Variable,
            ["DataRights:Verification:HashKey"] = "env:" + Variable,
        };
    }
}
