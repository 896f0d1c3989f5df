using DataRights.Core.Ports;

namespace DataRights.Core.Workflow;

/// <summary>
/// Work a decision owes and the request keeps until it is carried out or given up (<see cref="RequestProgress.Owed"/>):
/// an email, an export's build or deletion, the suppression list, a restriction's release, an event to the firm's
/// systems. <see cref="Id"/> is the effect's stable id, <see cref="Kind"/> one of <see cref="WorkItem"/>'s kinds, and
/// <see cref="Payload"/> keys and kinds only, never personal data. Its orchestration runs it once it is due.
/// </summary>
public sealed record OwedWork(string Id, string Kind, string Payload, DateTimeOffset NotBefore)
{
    /// <summary>What <paramref name="effect"/> owes.</summary>
    public static OwedWork Of(Effect effect) => effect switch
    {
        SendMessage m => new(m.Id, WorkItem.Message, WorkflowJson.Serialize(new WorkItem.MessagePayload(Kebab.Of(m.Kind))), m.NotBefore),
        BuildExport b => new(b.Id, WorkItem.Export, WorkflowJson.Serialize(new WorkItem.ExportPayload("build")), b.NotBefore),
        DeleteExport d => new(d.Id, WorkItem.Export, WorkflowJson.Serialize(new WorkItem.ExportPayload("delete")), d.NotBefore),
        LiftRestriction l => new(l.Id, WorkItem.Unrestrict, "{}", l.NotBefore),
        AddSuppression a => new(a.Id, WorkItem.Suppress, "{}", a.NotBefore),
        PublishEvent p => new(p.Id, WorkItem.Event, WorkflowJson.Serialize(p.Data), p.NotBefore),
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect?.GetType().Name, "Unknown effect."),
    };

    /// <summary>This work as a work item of request <paramref name="requestId"/>, as its step runs it.</summary>
    public WorkItem For(string requestId) => new(Id, requestId, Kind, Payload, NotBefore);
}
