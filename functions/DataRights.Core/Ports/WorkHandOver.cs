namespace DataRights.Core.Ports;

/// <summary>Who takes the work items a commit writes to the request orchestration that runs them.</summary>
public enum WorkHandOver
{
    /// <summary>The queue: the relay hands them to the request's orchestration.</summary>
    Queue,

    /// <summary>
    /// The committer: a step of the request's own orchestration, which returns them in its result. They are stored as
    /// already handed over, so the relay leaves them alone unless they are still not done long after they were due.
    /// </summary>
    Caller,
}
