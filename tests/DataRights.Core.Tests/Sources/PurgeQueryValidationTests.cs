using DataRights.Core.Sources.Registry;

namespace DataRights.Core.Tests.Sources;

/// <summary>A category's retention purge statement: one DELETE by $cutoff and $batch that spares people under a hold.</summary>
public sealed class PurgeQueryValidationTests
{
    private const string Good = "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch)";

    private static SourceRegistration With(string purge) => new()
    {
        Key = "telephony", DisplayName = "Calls", ConnectorType = "sqlite", Access = "read-write", Region = "us-east",
        IdentityFields = ["email"], Connection = new Dictionary<string, string> { ["path"] = "telephony.db" },
        Categories =
        [
            new CategoryPolicy
            {
                Key = "telephony.cdr", DisplayName = "Telephony cdr", Strategy = "delete",
                Queries = new Dictionary<string, string>
                {
                    ["discover"] = "SELECT id AS record_key FROM cdrs WHERE caller_email = $email",
                    ["delete"] = "DELETE FROM cdrs WHERE id = $record_key",
                    ["purge"] = purge,
                },
            },
        ],
    };

    [Fact]
    public void Validate_GoodPurgeQuery_HasNoErrors() => Assert.Empty(SourceRegistrationValidator.Validate(With(Good), ["sqlite"]));

    [Theory]
    [InlineData("SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch", "one DELETE")]
    [InlineData("DELETE FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email)", "$batch")]
    [InlineData("DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < '2026-01-01' AND NOT datarights_held(caller_email) LIMIT $batch)", "$cutoff")]
    [InlineData("DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff LIMIT $batch)", "datarights_held")]
    [InlineData("DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND caller_email = $email AND NOT datarights_held(caller_email) LIMIT $batch)", "Unknown parameter $email")]
    [InlineData("DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch); DROP TABLE cdrs", "one DELETE")]
    [InlineData("DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE started_at < $cutoff AND NOT datarights_held(caller_email) LIMIT $batch) -- all", "without comments")]
    public void Validate_BadPurgeQuery_IsNamedAndExplained(string purge, string explanation)
    {
        var errors = SourceRegistrationValidator.Validate(With(purge), ["sqlite"]);

        Assert.Contains(errors["categories[0].queries.purge"], m => m.Contains(explanation, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PurgeParametersInOtherQueries_AreRefused()
    {
        var registration = With(Good);
        var category = registration.Categories[0] with
        {
            Queries = new Dictionary<string, string>(registration.Categories[0].Queries) { ["delete"] = "DELETE FROM cdrs WHERE started_at < $cutoff" },
        };

        var errors = SourceRegistrationValidator.Validate(registration with { Categories = [category] }, ["sqlite"]);

        Assert.Contains("$cutoff", Assert.Single(errors["categories[0].queries.delete"]), StringComparison.Ordinal);
    }
}
