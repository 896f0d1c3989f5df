using System.Globalization;
using DataRights.Core.Sources.Registry;
using DataRights.Integration.Tests.Connectors.AzureTable;
using DataRights.Integration.Tests.Infrastructure;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Sources;

/// <summary>
/// An <c>azure-table</c> source registered through configuration (<c>DataRights:Sources:Registered:0:…</c>) on
/// Azurite, carried by the real program from intake to completion.
/// </summary>
public sealed class AzureTableErasureEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Erasure_FromIntakeToCompletion_RemovesThePersonsRowsAndTheCompletionEmailNamesTheSource()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        var person = AzureTableDemo.Person(7);
        using var factory = new DataRightsFactory(settings: Settings(demo.Registration, "DataRights:Sources:Registered:0"));
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "erasure", email = "Customer7@Example.com", fullName = person.FullName, jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        await FollowAsync(client, factory.Outbox.Single().PathOfLink("/verify/"), "Yes, this is my request");
        await factory.DrainAsync();
        var approval = factory.Outbox.Single(m => m.To == "approver@example.com");
        Assert.Contains("Customer preferences and devices: 6 records (Contact preferences, Devices, Invoices)", approval.Text, StringComparison.Ordinal);

        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await factory.DrainAsync();

        Assert.Equal(0, await demo.CountAsync(demo.Preferences, "Email", person.Email));
        Assert.Equal(0, await demo.CountAsync(demo.Devices, "OwnerEmail", person.Email));
        Assert.Equal(2, await demo.CountAsync(demo.Invoices, "CustomerEmail", person.Email));
        Assert.Equal(AzureTableDemo.People, (await demo.Client.ListAsync(demo.Preferences, CancellationToken.None)).Count);
        Assert.Equal((AzureTableDemo.People - 1) * 2, (await demo.Client.ListAsync(demo.Devices, CancellationToken.None)).Count);
        var completion = factory.Outbox.Single(m => m.Subject.Contains("is complete", StringComparison.Ordinal));
        Assert.Contains("Customer preferences and devices: deleted 3 records, anonymised 1 record. We kept 2 records (Invoices) because UK tax law requires invoices to be kept (we keep them 7 years) (UK GDPR Art. 17(3)(b))", completion.Text, StringComparison.Ordinal);
        Assert.Contains("until Saturday 15 January 2033", completion.Text, StringComparison.Ordinal);
        Assert.Equal("only retained: billing.invoice", await factory.Stored.ExecutedDetailAsync("telecom-tables", "rediscovered"));
    }

    /// <summary>A registration as configuration keys, the way an operator writes it in app settings.</summary>
    private static Dictionary<string, string?> Settings(SourceRegistration r, string prefix)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"{prefix}:Key"] = r.Key, [$"{prefix}:DisplayName"] = r.DisplayName, [$"{prefix}:ConnectorType"] = r.ConnectorType,
            [$"{prefix}:Access"] = r.Access, [$"{prefix}:Region"] = r.Region,
        };
        foreach (var (name, value) in r.Connection)
        {
            settings[$"{prefix}:Connection:{name}"] = value;
        }

        void List(string name, IReadOnlyList<string> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                settings[$"{prefix}:{name}:{i.ToString(CultureInfo.InvariantCulture)}"] = values[i];
            }
        }

        List("SecretSettings", r.SecretSettings);
        List("IdentityFields", r.IdentityFields);
        List("Purposes", r.Purposes);
        for (var i = 0; i < r.Categories.Count; i++)
        {
            var c = r.Categories[i];
            var at = $"{prefix}:Categories:{i.ToString(CultureInfo.InvariantCulture)}";
            settings[$"{at}:Key"] = c.Key;
            settings[$"{at}:DisplayName"] = c.DisplayName;
            settings[$"{at}:Ground"] = c.Ground;
            settings[$"{at}:Strategy"] = c.Strategy;
            settings[$"{at}:Mask"] = c.Mask;
            settings[$"{at}:LegalBasis"] = c.LegalBasis;
            settings[$"{at}:RetentionPeriod"] = c.RetentionPeriod;
            settings[$"{at}:Provided"] = c.Provided ? "true" : "false";
            foreach (var (name, value) in c.Queries)
            {
                settings[$"{at}:Queries:{name}"] = value;
            }
        }

        return settings;
    }
}
