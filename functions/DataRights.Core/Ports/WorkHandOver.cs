namespace DataRights.Core.Ports;

/// <summary>Who takes the work items a commit writes to the request orchestration that runs them.</summary>
public enum WorkHandOver
{
    /// <summary>
    /// The committer: a step of the request's own orchestration, which returns them in its result (read from the request's
    /// partition after the commit, so a step run again after a crash returns them too). The commit writes no intent.
    /// </summary>
    Caller,

    /// <summary>
    /// Announced to the request's orchestration before the commit (a person's link, staff): it reads them from the request
    /// once the commit lands. The commit writes nothing more (the announcement is a message of the task hub).
    /// </summary>
    Announced,

    /// <summary>
    /// Announced by the relay, at once, after the commit (no orchestration could be told before it: no Durable client in
    /// the flow, or the task hub refused). The commit writes one intent, however many items it has:
    /// the relay finds the intent once the commit has landed and announces it as above, and again if it is still not
    /// taken long after (the orchestration removes the intent once it has taken the work).
    /// </summary>
    Relay,
}
