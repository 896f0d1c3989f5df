using DataRights.Core.Requests;

namespace DataRights.Host.Requests;

/// <summary>What intake did with a submission.</summary>
public abstract record IntakeOutcome
{
    private IntakeOutcome()
    {
    }

    public sealed record Accepted(DataSubjectRequest Request, string StatusToken, bool Created) : IntakeOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : IntakeOutcome;

    public sealed record RateLimited(TimeSpan RetryAfter) : IntakeOutcome;
}
