using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

public sealed class SourceRegistrationValidatorTests
{
    private static readonly string[] Types = ["sqlite", "postgres", "http", "manual"];

    private static readonly SourceRegistration Billing = new()
    {
        Key = "billing",
        DisplayName = "Billing (Sage)",
        ConnectorType = "sqlite",
        Access = "read-write",
        Region = "eu-west",
        Connection = new Dictionary<string, string> { ["path"] = "data/demo/billing.db", ["password"] = "env:DATARIGHTS_SOURCE_BILLING_DB_PASSWORD" },
        SecretSettings = ["password"],
        IdentityFields = ["email", "account_id"],
        Categories =
        [
            new CategoryPolicy { Key = "contact.email", DisplayName = "Contact email", Strategy = "mask", Mask = "keyed_hash" },
            new CategoryPolicy { Key = "billing.invoice", DisplayName = "Billing invoice", Strategy = "retain", LegalBasis = "UK tax law: 6 years; UK GDPR Art. 17(3)(b)", RetentionPeriod = "P7Y" },
            new CategoryPolicy { Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete" },
        ],
    };

    [Fact]
    public void Validate_CompleteRegistration_HasNoErrors() =>
        Assert.Empty(SourceRegistrationValidator.Validate(Billing, Types));

    [Theory]
    [InlineData("connectorType")]
    [InlineData("key")]
    [InlineData("access")]
    [InlineData("region")]
    [InlineData("displayName")]
    public void Validate_BadTopLevelField_IsNamed(string field)
    {
        var bad = field switch
        {
            "connectorType" => Billing with { ConnectorType = "oracle-forms" },
            "key" => Billing with { Key = "Billing DB" },
            "access" => Billing with { Access = "admin" },
            "region" => Billing with { Region = "Europe West!" },
            _ => Billing with { DisplayName = "" },
        };

        var errors = SourceRegistrationValidator.Validate(bad, Types);

        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Invoices\nand more")]
    public void Validate_CategoryWithoutDisplayName_NamesTheField(string name)
    {
        var categories = Billing.Categories.Select((c, i) => i == 1 ? c with { DisplayName = name } : c).ToList();

        var errors = SourceRegistrationValidator.Validate(Billing with { Categories = categories }, Types);

        Assert.Equal(["categories[1].displayName"], errors.Keys);
        Assert.Contains("display name", errors["categories[1].displayName"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("legal-obligation", true)]
    [InlineData("legal-claims", true)]
    [InlineData("contract", false)]
    public void Validate_RetainedCategoryGround_IsOneOfTheKnownExceptions(string? ground, bool valid)
    {
        var categories = Billing.Categories.Select((c, i) => i == 1 ? c with { Ground = ground } : c).ToList();

        var errors = SourceRegistrationValidator.Validate(Billing with { Categories = categories }, Types);

        Assert.Equal(valid ? [] : ["categories[1].ground"], errors.Keys);
    }

    [Fact]
    public void Validate_CompletePostgresRegistration_HasNoErrors() =>
        Assert.Empty(SourceRegistrationValidator.Validate(Postgres(), Types));

    [Theory]
    [InlineData("host")]
    [InlineData("port")]
    [InlineData("database")]
    [InlineData("username")]
    [InlineData("password")]
    public void Validate_PostgresWithoutASetting_NamesIt(string setting)
    {
        var connection = Postgres().Connection.Where(p => p.Key != setting).ToDictionary();

        var errors = SourceRegistrationValidator.Validate(Postgres() with { Connection = connection }, Types);

        Assert.Equal(["connection." + setting], errors.Keys);
    }

    [Fact]
    public void Validate_PostgresWithNothing_NamesEveryMissingSetting()
    {
        var errors = SourceRegistrationValidator.Validate(Postgres() with { Connection = new Dictionary<string, string>(), SecretSettings = [] }, Types);

        Assert.Equal(["connection.database", "connection.host", "connection.password", "connection.port", "connection.username"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("port", "0")]
    [InlineData("port", "70000")]
    [InlineData("port", "5432; drop")]
    [InlineData("password", "hunter2")]
    public void Validate_PostgresBadSetting_IsNamed(string setting, string value)
    {
        var connection = new Dictionary<string, string>(Postgres().Connection) { [setting] = value };

        var errors = SourceRegistrationValidator.Validate(Postgres() with { Connection = connection }, Types);

        Assert.Equal(["connection." + setting], errors.Keys);
    }

    [Fact]
    public void Validate_PostgresPasswordNotListedAsSecret_IsNamed()
    {
        var errors = SourceRegistrationValidator.Validate(Postgres() with { SecretSettings = [] }, Types);

        Assert.Equal(["connection.password"], errors.Keys);
    }

    [Fact]
    public void Validate_PositionalParameter_IsNamed()
    {
        var category = new CategoryPolicy
        {
            Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete",
            Queries = new Dictionary<string, string> { ["discover"] = "SELECT id AS record_key FROM cards WHERE email = $1", ["delete"] = "DELETE FROM cards WHERE id = $record_key" },
        };

        var errors = SourceRegistrationValidator.Validate(Postgres() with { Categories = [category] }, Types);

        Assert.Equal(["categories[0].queries.discover"], errors.Keys);
    }

    [Fact]
    public void Validate_SearchByPhone_IsRefusedSayingWhy()
    {
        var category = new CategoryPolicy
        {
            Key = "billing.payment_card", DisplayName = "Billing payment card", Strategy = "delete",
            Queries = new Dictionary<string, string> { ["discover"] = "SELECT id AS record_key FROM cards WHERE phone = $phone", ["delete"] = "DELETE FROM cards WHERE id = $record_key" },
        };

        var errors = SourceRegistrationValidator.Validate(Postgres() with { Categories = [category] }, Types);

        Assert.Equal(["categories[0].queries.discover"], errors.Keys);
        Assert.Contains("does not carry a phone number", Assert.Single(errors["categories[0].queries.discover"]), StringComparison.Ordinal);
    }

    private static SourceRegistration Postgres() => Billing with
    {
        ConnectorType = "postgres",
        Connection = new Dictionary<string, string>
        {
            ["host"] = "billing-db.internal", ["port"] = "5432", ["database"] = "billing", ["username"] = "datarights", ["password"] = "env:DATARIGHTS_SOURCE_BILLING_DB_PASSWORD",
        },
        SecretSettings = ["password"],
    };

    [Fact]
    public void Validate_NoIdentityField_IsNamed()
    {
        var errors = SourceRegistrationValidator.Validate(Billing with { IdentityFields = [] }, Types);

        Assert.Contains("identityFields", errors.Keys);
    }

    [Fact]
    public void Validate_UnknownIdentityField_IsNamedWithItsIndex()
    {
        var errors = SourceRegistrationValidator.Validate(Billing with { IdentityFields = ["email", "shoe_size"] }, Types);

        Assert.Contains("shoe_size", Assert.Single(errors["identityFields[1]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetainWithoutLegalBasis_IsNamed()
    {
        var categories = Billing.Categories.ToList();
        categories[1] = categories[1] with { LegalBasis = null };

        var errors = SourceRegistrationValidator.Validate(Billing with { Categories = categories }, Types);

        Assert.Equal(["categories[1].legalBasis"], errors.Keys);
    }

    [Theory]
    [InlineData("7 years")]
    [InlineData("P")]
    [InlineData("P0D")]
    [InlineData(null)]
    public void Validate_RetainWithoutAValidPeriod_IsNamed(string? period)
    {
        var categories = Billing.Categories.ToList();
        categories[1] = categories[1] with { RetentionPeriod = period };

        var errors = SourceRegistrationValidator.Validate(Billing with { Categories = categories }, Types);

        Assert.Equal(["categories[1].retentionPeriod"], errors.Keys);
    }

    [Fact]
    public void Validate_SecretInClear_IsRefused()
    {
        var connection = new Dictionary<string, string>(Billing.Connection) { ["password"] = "hunter2" };

        var errors = SourceRegistrationValidator.Validate(Billing with { Connection = connection }, Types);

        Assert.Contains("reference", Assert.Single(errors["connection.password"]), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", string.Concat(errors.Values.SelectMany(v => v)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mask", null, null, "categories[0].mask")]
    [InlineData("mask", "fixed", null, "categories[0].maskValue")]
    [InlineData("erase-ish", null, null, "categories[0].strategy")]
    public void Validate_BadStrategy_IsNamed(string strategy, string? mask, string? value, string field)
    {
        var categories = Billing.Categories.ToList();
        categories[0] = categories[0] with { Strategy = strategy, Mask = mask, MaskValue = value };

        var errors = SourceRegistrationValidator.Validate(Billing with { Categories = categories }, Types);

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Validate_CategoryTwiceOrBadlyNamed_IsNamed()
    {
        var errors = SourceRegistrationValidator.Validate(Billing with
        {
            Categories = [new CategoryPolicy { Key = "contact.email", DisplayName = "Contact email", Strategy = "delete" }, new CategoryPolicy { Key = "contact.email", DisplayName = "Contact email", Strategy = "delete" }, new CategoryPolicy { Key = "Email", DisplayName = "Email", Strategy = "delete" }],
        }, Types);

        Assert.Equal(["categories[1].key", "categories[2].key"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
