using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

/// <summary>What a registration may reach: secret references under the configured prefixes, sqlite paths inside the sources folder, writes with a WHERE clause.</summary>
public sealed class SourceConfinementValidationTests
{
    private static readonly string[] Types = ["sqlite", "postgres", "http"];

    private static readonly SourceRegistration Postgres = new()
    {
        Key = "billing-pg", DisplayName = "Billing", ConnectorType = "postgres", Access = "read-write", Region = "eu-west",
        Connection = new Dictionary<string, string>
        {
            ["host"] = "billing-db.example.com", ["port"] = "5432", ["database"] = "billing", ["username"] = "datarights", ["password"] = "env:DATARIGHTS_SOURCE_BILLING_PASSWORD",
        },
        SecretSettings = ["password"],
        IdentityFields = ["email"],
        Categories = [new CategoryPolicy { Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete" }],
    };

    private static readonly SourceRegistration Sqlite = Postgres with
    {
        Key = "billing", ConnectorType = "sqlite", Connection = new Dictionary<string, string> { ["path"] = "billing.db" }, SecretSettings = [],
        Categories =
        [
            new CategoryPolicy
            {
                Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key FROM payment_cards WHERE customer_email = $email",
                    ["delete"] = "DELETE FROM payment_cards WHERE id = $record_key",
                },
            },
        ],
    };

    [Theory]
    [InlineData("env:HOME")]
    [InlineData("env:DATARIGHTS_EXPORT_KEY")]
    [InlineData("env:DATARIGHTS_SOURCE_")]
    [InlineData("env:datarights_source_billing")]
    [InlineData("keyvault:entra-client-secret")]
    [InlineData("keyvault:datarights-source-")]
    [InlineData("hunter2")]
    public void Validate_PasswordReferenceOutsideThePrefixes_IsRefusedNamingTheField(string reference)
    {
        var errors = SourceRegistrationValidator.Validate(WithPassword(reference), Types);

        Assert.Equal(["connection.password"], errors.Keys);
    }

    [Theory]
    [InlineData("env:DATARIGHTS_SOURCE_BILLING_PASSWORD")]
    [InlineData("keyvault:datarights-source-billing-password")]
    [InlineData("keyvault:DataRights-Source-Billing-Password")]
    public void Validate_PasswordReferenceUnderThePrefixes_IsAccepted(string reference) =>
        Assert.Empty(SourceRegistrationValidator.Validate(WithPassword(reference), Types));

    [Fact]
    public void Validate_ConfiguredPrefixes_AreTheOnesThatCount()
    {
        var rules = new SecretReferenceRules("ACME_DR_", "acme-dr-", KeyVaultConfigured: true);

        Assert.Equal(["connection.password"], SourceRegistrationValidator.Validate(WithPassword("env:DATARIGHTS_SOURCE_BILLING_PASSWORD"), Types, rules).Keys);
        Assert.Empty(SourceRegistrationValidator.Validate(WithPassword("env:ACME_DR_BILLING"), Types, rules));
        Assert.Empty(SourceRegistrationValidator.Validate(WithPassword("keyvault:acme-dr-billing"), Types, rules));
    }

    [Fact]
    public void Validate_KeyVaultReferenceWithoutAVault_IsRefused()
    {
        var rules = SecretReferenceRules.Default with { KeyVaultConfigured = false };

        var errors = SourceRegistrationValidator.Validate(WithPassword("keyvault:datarights-source-billing-password"), Types, rules);

        Assert.Contains("DataRights:KeyVault:VaultUri", Assert.Single(errors["connection.password"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/hostname")]
    [InlineData("demo/../../datarights.db")]
    [InlineData("./billing.db")]
    [InlineData("C:\\data\\billing.db")]
    [InlineData("file:billing.db?mode=rw")]
    [InlineData("")]
    public void Validate_SqlitePathNotInsideTheSourcesFolder_IsRefused(string path)
    {
        var errors = SourceRegistrationValidator.Validate(Sqlite with { Connection = new Dictionary<string, string> { ["path"] = path } }, Types);

        Assert.Equal(["connection.path"], errors.Keys);
    }

    [Theory]
    [InlineData("billing.db")]
    [InlineData("crm/contacts.v2.db")]
    public void Validate_SqlitePathInsideTheSourcesFolder_IsAccepted(string path) =>
        Assert.Empty(SourceRegistrationValidator.Validate(Sqlite with { Connection = new Dictionary<string, string> { ["path"] = path } }, Types));

    [Theory]
    [InlineData("delete", "DELETE FROM payment_cards")]
    [InlineData("delete", "DELETE FROM payment_cards -- WHERE id = $record_key")]
    [InlineData("delete", "DELETE FROM payment_cards RETURNING 'WHERE'")]
    [InlineData("mask", "UPDATE payment_cards SET last4 = $mask")]
    [InlineData("rectify.name", "UPDATE accounts SET full_name = $value")]
    public void Validate_WriteWithoutAWhereClause_IsRefused(string query, string sql)
    {
        var category = Sqlite.Categories[0] with
        {
            Strategy = query == "mask" ? "mask" : "delete",
            Mask = query == "mask" ? "null" : null,
            Queries = new Dictionary<string, string>(Sqlite.Categories[0].Queries) { [query] = sql },
        };

        var errors = SourceRegistrationValidator.Validate(Sqlite with { Categories = [category] }, Types);

        Assert.Contains(errors[$"categories[0].queries.{query}"], e => e.Contains("WHERE", StringComparison.Ordinal) || e.Contains("without comments", StringComparison.Ordinal));
    }

    private static SourceRegistration WithPassword(string reference) =>
        Postgres with { Connection = new Dictionary<string, string>(Postgres.Connection) { ["password"] = reference } };
}
