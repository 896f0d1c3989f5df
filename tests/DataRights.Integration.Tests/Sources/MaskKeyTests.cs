using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataRights.Host.Sources;
using DataRights.Integration.Tests.Infrastructure;
using static DataRights.Integration.Tests.Retention.PurgeKit;

namespace DataRights.Integration.Tests.Sources;

/// <summary>
/// Keyed-hash masks use <c>DataRights:MaskKey</c> when it is set, so every instance of a deployment masks one
/// person to the same value; without it, a key file in the data folder (stand-alone).
/// </summary>
public sealed class MaskKeyTests
{
    [Fact]
    public async Task KeyedHashMask_UsesTheConfiguredKey_SoEveryInstanceMasksAPersonAlike()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var variable = "DATARIGHTS_TEST_MASK_KEY_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Environment.SetEnvironmentVariable(variable, Convert.ToBase64String(key));
        try
        {
            var (name, email, _) = DemoCrmConnector.Person(3);
            using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:MaskKey"] = "env:" + variable });
            using var client = factory.CreateClient();

            await EraseAsync(factory, client, name, email);

            var expected = "erased:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("contact.email\u001f" + email)))[..24];
            Assert.Equal(1, Database.Scalar(Demo(factory, "billing.db"), "SELECT COUNT(*) FROM accounts WHERE email = $m AND full_name = '[erased]'", ("$m", expected)));
            Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "keys", "mask.key")), "a mask key file was made although a key is configured");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
