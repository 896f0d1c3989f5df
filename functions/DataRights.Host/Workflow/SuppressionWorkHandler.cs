using DataRights.Core.Ports;
using DataRights.Core.Workflow;

namespace DataRights.Host.Workflow;

/// <summary>Adds the requester's hashed email to the suppression list (idempotent), then records it on the request.</summary>
public sealed class SuppressionWorkHandler(IRequestStore store, ISuppressionList suppressions, WorkflowEngine engine, TimeProvider time) : IWorkHandler
{
    public string Kind => WorkItem.Suppress;

    public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(item.Item.RequestId, cancellationToken) is not { } request)
        {
            return;
        }

        var added = await suppressions.AddAsync(ISuppressionList.Hash(request.Email), request.Id, time.GetUtcNow(), cancellationToken);
        await engine.ApplyAsync(request.Id, new SuppressionRecorded("system:suppression", added), cancellationToken);
    }
}
