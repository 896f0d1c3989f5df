using DataRights.Core.Workflow;

namespace DataRights.Core.Ports;

/// <summary>
/// A piece of the work a request owes (<see cref="OwedWork"/>) as its step runs it. <see cref="Id"/> is the effect's
/// stable id. The payload holds keys and kinds only, never personal data.
/// </summary>
public sealed record WorkItem(string Id, string RequestId, string Kind, string Payload, DateTimeOffset NotBefore)
{
    public const string Message = "message";

    /// <summary>
    /// A timer the request keeps (<see cref="Workflow.PlannedTimer"/>), as its orchestration's status names the next one
    /// (<c>{request}:timer:{kind}:{tag}</c>): never a stored work item.
    /// </summary>
    public const string Timer = "timer";
    public const string Export = "export";
    public const string Suppress = "suppress";
    public const string Unrestrict = "unrestrict";
    public const string Event = "event";

    public sealed record MessagePayload(string Kind);

    /// <summary><c>build</c> or <c>delete</c>.</summary>
    public sealed record ExportPayload(string Action);
}

/// <summary>One attempt at a work item (the first is 1), as its handler runs it.</summary>
public sealed record WorkAttempt(WorkItem Item, int Attempt);
