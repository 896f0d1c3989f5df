using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Sources;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Workflow;

/// <summary>
/// Lifts a restriction once its notice period has passed: every source that restricted the person's
/// records releases them (idempotent), then the request records the lift. A source that fails is
/// retried by the queue; the lift is recorded only when all have released.
/// </summary>
public sealed class UnrestrictWorkHandler(IRequestStore store, IDataSourceRegistry sources, WorkflowEngine engine, IOptions<WorkflowOptions> options) : IWorkHandler
{
    public string Kind => WorkItem.Unrestrict;

    public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(item.Item.RequestId, cancellationToken) is not { Progress.Restriction: { LiftAt: not null, LiftedAt: null } } request)
        {
            return;
        }

        var released = 0;
        var lift = new ActionInstructions { LiftRestriction = true };
        foreach (var source in request.Progress.Sources.Where(s => s.Outcome?.Restricted > 0))
        {
            // A source removed since, or one worked by hand, is listed for staff in the audit note instead.
            if (sources.Connector(source.Key) is { } connector and not ManualSourceConnector)
            {
                await SourceCalls.WithTimeoutAsync(
                    token => connector.ExecuteAsync(new SourceCall(SourceCalls.Identity(request), request.Id), RequestType.Restriction, lift, token),
                    options.Value.ExecutionTimeout,
                    cancellationToken);
                released++;
            }
        }

        await engine.ApplyAsync(request.Id, new RestrictionLifted("system:restriction", released), cancellationToken);
    }
}
