namespace DataRights.Host.Sources;

/// <summary>A source that answers later by posting to the pipeline's signed callback (an HTTP system, an on-premises agent).</summary>
public interface ISignedAnswerSource
{
    /// <summary>Whether a posted answer really comes from this source: signed with its secret, within the replay window.</summary>
    bool IsFromSource(string? timestamp, string? signature, byte[] body);

    /// <summary>The source's own limit for a later answer; null for the pipeline's.</summary>
    TimeSpan? AnswerWithin { get; }
}
