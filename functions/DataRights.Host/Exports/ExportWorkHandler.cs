using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;

namespace DataRights.Host.Exports;

/// <summary>Builds an export package once every source has made its copy, and deletes it when its link expires.</summary>
public sealed class ExportWorkHandler(IRequestStore store, ExportPackager packager, ExportFiles files, WorkflowEngine engine) : IWorkHandler
{
    public string Kind => WorkItem.Export;

    public async Task HandleAsync(LeasedWorkItem item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        var payload = WorkflowJson.Deserialize<WorkItem.ExportPayload>(item.Item.Payload);
        if (await store.GetAsync(item.Item.RequestId, cancellationToken) is not { } request)
        {
            return;
        }

        if (payload.Action == "delete")
        {
            await files.DeleteAsync(request.Id, cancellationToken);
            await engine.ApplyAsync(request.Id, new ExportDeleted("system:export"), cancellationToken);
            return;
        }

        if (request.Status != RequestStatus.Executing || request.Progress.Export is not null)
        {
            return;
        }

        var package = await packager.BuildAsync(request, cancellationToken);

        // The copies are folded into the package; only the sealed package stays until its link expires.
        foreach (var source in request.Progress.Sources)
        {
            await files.DeletePartAsync(request.Id, source.Key, cancellationToken);
        }

        await engine.ApplyAsync(request.Id, new ExportBuilt("system:export", package.Bytes, package.Records, package.Files), cancellationToken);
    }
}
