namespace DataRights.Core.Ports;

/// <summary>Who takes the work items a commit writes to the request orchestration that runs them.</summary>
public enum WorkHandOver
{
    /// <summary>
    /// The queue: each item is copied into the relay's queue, which hands it to the request's orchestration. The program no
    /// longer commits work this way (<see cref="Relay"/> took its place); the queue serves the items stored before.
    /// </summary>
    Queue,

    /// <summary>
    /// The committer: a step of the request's own orchestration, which returns them in its result (read from the request's
    /// partition after the commit, so a step run again after a crash returns them too). Nothing else tracks them: they get
    /// no copy in the relay's queue, and their lease, completion and retry touch only their work rows.
    /// </summary>
    Caller,

    /// <summary>
    /// Announced to the request's orchestration before the commit (a person's link, staff): it reads them from the request
    /// once the commit lands. They are stored as already handed over, so the relay leaves them alone unless they are still
    /// not done long after they were due (the orchestration may have ended before it took the announcement).
    /// </summary>
    Announced,

    /// <summary>
    /// Announced by the relay, at once, after the commit (no orchestration could be told before it: no Durable client in
    /// the flow, or the task hub refused). The commit writes one intent, however many items it has, and no queue copies:
    /// the relay finds the intent once the commit has landed and announces it as above, and again if it is still not
    /// taken long after.
    /// </summary>
    Relay,
}
