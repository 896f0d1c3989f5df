using DataRights.Core.Retention;

namespace DataRights.Core.Tests.Retention;

public sealed class RetentionPolicyValidatorTests
{
    private static RetentionRule Valid => new() { Category = "telephony.cdr", MaxAge = "P6M", CountsFrom = RetentionEvents.Created, Basis = "Call records: 6 months (notice)" };

    [Fact]
    public void Validate_SampleLikeRules_HasNoErrors()
    {
        RetentionRule[] rules =
        [
            Valid,
            Valid with { Category = "contact.email", MaxAge = "P0D", CountsFrom = RetentionEvents.EndOfCalendarMonthAfterClosure },
            Valid with { Category = "backup.trace", MaxAge = "P7W", CountsFrom = RetentionEvents.AccountClosed },
            Valid with { Category = "account.profile", MaxAge = "P2Y", CountsFrom = RetentionEvents.LastActivity },
        ];

        Assert.Empty(RetentionPolicyValidator.Validate(rules));
    }

    [Fact]
    public void Validate_EmptyList_IsAllowed() => Assert.Empty(RetentionPolicyValidator.Validate([]));

    [Fact]
    public void Validate_EveryProblem_IsNamedByItsPath()
    {
        RetentionRule[] rules =
        [
            Valid with { MaxAge = "six months" },
            Valid with { Category = "Telephony CDR", CountsFrom = "closure" },
            Valid with { Category = "a.b", Basis = "short" },
            Valid with { Category = "a.b", MaxAge = "P0D" },
        ];

        var errors = RetentionPolicyValidator.Validate(rules);

        Assert.Equal(
            ["rules[0].maxAge", "rules[1].category", "rules[1].countsFrom", "rules[2].basis", "rules[3].category", "rules[3].maxAge"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("end_of_calendar_month_after_closure", errors["rules[3].maxAge"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BasisWithControlCharacters_IsRefused() =>
        Assert.Contains("rules[0].basis", RetentionPolicyValidator.Validate([Valid with { Basis = "Kept for\u202Eever and ever" }]).Keys);
}
