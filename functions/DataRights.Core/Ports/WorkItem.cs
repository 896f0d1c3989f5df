using DataRights.Core.Workflow;

namespace DataRights.Core.Ports;

/// <summary>
/// A queued effect. <see cref="Id"/> is the effect's stable id: enqueuing it twice keeps one.
/// The payload holds keys and kinds only, never personal data.
/// </summary>
public sealed record WorkItem(string Id, string RequestId, string Kind, string Payload, DateTimeOffset NotBefore)
{
    public const string Message = "message";
    /// <summary>A source's search, as a work item: only rows written before searches became the orchestration's own steps.</summary>
    public const string Discover = "discover";

    /// <summary>The carrying out at a source, as a work item: only rows written before it became the orchestration's own step.</summary>
    public const string Execute = "execute";
    /// <summary>
    /// A timer the request keeps (<see cref="Workflow.PlannedTimer"/>), as its orchestration's status names the next one
    /// (<c>{request}:timer:{kind}:{tag}</c>): never a stored work item.
    /// </summary>
    public const string Timer = "timer";
    public const string Export = "export";
    public const string Suppress = "suppress";
    public const string Unrestrict = "unrestrict";
    public const string Event = "event";

    public static WorkItem From(string requestId, Effect effect) => effect switch
    {
        SendMessage m => new(m.Id, requestId, Message, WorkflowJson.Serialize(new MessagePayload(Kebab.Of(m.Kind))), m.NotBefore),
        BuildExport b => new(b.Id, requestId, Export, WorkflowJson.Serialize(new ExportPayload("build")), b.NotBefore),
        DeleteExport d => new(d.Id, requestId, Export, WorkflowJson.Serialize(new ExportPayload("delete")), d.NotBefore),
        LiftRestriction l => new(l.Id, requestId, Unrestrict, "{}", l.NotBefore),
        AddSuppression a => new(a.Id, requestId, Suppress, "{}", a.NotBefore),
        PublishEvent p => new(p.Id, requestId, Event, WorkflowJson.Serialize(p.Data), p.NotBefore),
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Unknown effect."),
    };

    public sealed record MessagePayload(string Kind);

    public sealed record SourcePayload(string Source, int Round);

    /// <summary><c>build</c> or <c>delete</c>.</summary>
    public sealed record ExportPayload(string Action);
}

/// <summary>A work item held under a lease: only the holder of <see cref="LeaseToken"/> may complete it.</summary>
public sealed record LeasedWorkItem(WorkItem Item, int Attempt, string LeaseToken);
