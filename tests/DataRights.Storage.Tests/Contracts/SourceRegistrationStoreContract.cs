using DataRights.Core.Sources.Registry;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>What every <see cref="ISourceRegistrationStore"/> must do: keep registrations whole, by key, with who changed them and when.</summary>
public abstract class SourceRegistrationStoreContract : StoreContract
{
    private ISourceRegistrationStore Store => Stores.Sources;

    [Fact]
    public async Task Save_ThenList_ReturnsItActiveWithWhoAndWhen()
    {
        await Store.SaveAsync(Registration("crm"), "admin:ana", T0, None);

        var stored = Assert.Single(await Store.ListAsync(None));

        Assert.True(stored.Active);
        Assert.Equal("admin:ana", stored.UpdatedBy);
        Assert.Equal(T0, stored.UpdatedAt);
        AssertSame(Registration("crm"), stored.Registration);
    }

    [Fact]
    public async Task Save_AnExistingKey_ReplacesItAndMakesItActive()
    {
        await Store.SaveAsync(Registration("crm"), "admin:ana", T0, None);
        Assert.True(await Store.DeactivateAsync("crm", "admin:ana", T0.AddHours(1), None));

        await Store.SaveAsync(Registration("crm") with { DisplayName = "CRM (new)" }, "admin:bo", T0.AddHours(2), None);

        var stored = Assert.Single(await Store.ListAsync(None));
        Assert.True(stored.Active);
        Assert.Equal("CRM (new)", stored.Registration.DisplayName);
        Assert.Equal("admin:bo", stored.UpdatedBy);
        Assert.Equal(T0.AddHours(2), stored.UpdatedAt);
    }

    [Fact]
    public async Task List_IsOrderedByKey()
    {
        foreach (var key in new[] { "telephony", "billing", "crm-eu", "crm" })
        {
            await Store.SaveAsync(Registration(key), "admin:ana", T0, None);
        }

        Assert.Equal(["billing", "crm", "crm-eu", "telephony"], (await Store.ListAsync(None)).Select(r => r.Registration.Key));
    }

    [Fact]
    public async Task Deactivate_KeepsTheSourceInactive_AndAnUnknownKeyIsFalse()
    {
        await Store.SaveAsync(Registration("crm"), "admin:ana", T0, None);

        Assert.True(await Store.DeactivateAsync("crm", "admin:bo", T0.AddDays(1), None));
        Assert.False(await Store.DeactivateAsync("nothing-here", "admin:bo", T0.AddDays(1), None));

        var stored = Assert.Single(await Store.ListAsync(None));
        Assert.False(stored.Active);
        Assert.Equal("admin:bo", stored.UpdatedBy);
        Assert.Equal(T0.AddDays(1), stored.UpdatedAt);
        AssertSame(Registration("crm"), stored.Registration);
    }

    [Fact]
    public async Task Save_ALargeRegistration_RoundTripsWhole()
    {
        var large = Registration("warehouse") with
        {
            Categories = [.. Enumerable.Range(0, 40).Select(i => new CategoryPolicy
            {
                Key = $"warehouse.table{i}",
                DisplayName = "Warehouse table",
                Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = $"SELECT id AS record_key FROM table{i} WHERE email = $email /* {new string('q', 2000)} */",
                    ["delete"] = $"DELETE FROM table{i} WHERE id = $record_key",
                },
            })],
        };

        await Store.SaveAsync(large, "admin:ana", T0, None);

        AssertSame(large, Assert.Single(await Store.ListAsync(None)).Registration);
    }

    private static SourceRegistration Registration(string key) => new()
    {
        Key = key,
        DisplayName = key.ToUpperInvariant(),
        ConnectorType = "sqlite",
        Access = "read-write",
        Region = "eu-west",
        Connection = new Dictionary<string, string> { ["path"] = $"demo/{key}.db" },
        IdentityFields = ["email", "account_id"],
        Categories =
        [
            new CategoryPolicy { Key = "contact.email", DisplayName = "Contact email", Strategy = "mask", Mask = "keyed_hash" },
            new CategoryPolicy { Key = "billing.invoice", DisplayName = "Billing invoice", Strategy = "retain", LegalBasis = "UK tax law; UK GDPR Art. 17(3)(b)", RetentionPeriod = "P7Y" },
        ],
    };

    private static void AssertSame(SourceRegistration expected, SourceRegistration actual)
    {
        var options = DataRights.Core.Workflow.WorkflowJson.Options;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected, options), System.Text.Json.JsonSerializer.Serialize(actual, options));
    }
}
