using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>A request as stored, with its work items not yet done or dead-lettered (whatever their due time), earliest due first.</summary>
public sealed record RequestWithOpenWork(DataSubjectRequest Request, IReadOnlyList<WorkItem> OpenWork);
