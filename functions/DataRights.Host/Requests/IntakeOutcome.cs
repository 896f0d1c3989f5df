using DataRights.Core.Requests;

namespace DataRights.Host.Requests;

/// <summary>What intake did with a submission.</summary>
public abstract record IntakeOutcome
{
    private IntakeOutcome()
    {
    }

    public sealed record Accepted(DataSubjectRequest Request, string StatusToken, bool Created) : IntakeOutcome;

    /// <summary>
    /// A repeat of a request we hold (the same one within the duplicate window, or any while one for the address waits
    /// for confirmation). The one who submitted gets no link: the person was emailed it (<paramref name="Emailed"/>), or
    /// not, and <paramref name="Why"/> says why; <paramref name="RetryAfter"/> is set when the daily email limit is reached.
    /// </summary>
    public sealed record Repeat(bool Emailed, string? Why, TimeSpan? RetryAfter) : IntakeOutcome;

    /// <summary>A public submission kept and handed to its taking in: what became of it is never told to whoever sent it.</summary>
    public sealed record Received : IntakeOutcome
    {
        public static Received Instance { get; } = new();
    }

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : IntakeOutcome;

    public sealed record RateLimited(TimeSpan RetryAfter) : IntakeOutcome;
}
