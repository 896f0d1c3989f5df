namespace DataRights.Host.Retention;

/// <summary>A purge run finished but left lines to do (a source was busy): its occurrence is to be run again.</summary>
public sealed class PurgeIncompleteException(string runId)
    : Exception($"Purge run {runId} left sources to do (they were busy); it resumes when run again.")
{
    public string RunId { get; } = runId;
}
